package program

import (
	"syscall"
	"unsafe"
)

// The job object calls of kernel32.dll, which the syscall package does
// not name; golang.org/x/sys is not one of the lesson's modules.
var (
	kernel32                 = syscall.NewLazyDLL("kernel32.dll")
	createJobObject          = kernel32.NewProc("CreateJobObjectW")
	setInformationJobObject  = kernel32.NewProc("SetInformationJobObject")
	assignProcessToJobObject = kernel32.NewProc("AssignProcessToJobObject")
)

const (
	jobObjectExtendedLimitInformation = 9      // JobObjectExtendedLimitInformation, the class of jobLimits
	jobObjectLimitKillOnJobClose      = 0x2000 // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
)

// jobLimits is JOBOBJECT_EXTENDED_LIMIT_INFORMATION, nested as Windows
// nests it: the basic limits, the I/O counters, then four sizes. Only
// LimitFlags is set here; the rest is the room Windows expects
// (TestJobLimitsLayout checks the sizes Windows documents).
type jobLimits struct {
	BasicLimitInformation basicLimits
	IoInfo                ioCounters
	ProcessMemoryLimit    uintptr
	JobMemoryLimit        uintptr
	PeakProcessMemoryUsed uintptr
	PeakJobMemoryUsed     uintptr
}

// basicLimits is JOBOBJECT_BASIC_LIMIT_INFORMATION.
type basicLimits struct {
	PerProcessUserTimeLimit int64
	PerJobUserTimeLimit     int64
	LimitFlags              uint32
	MinimumWorkingSetSize   uintptr
	MaximumWorkingSetSize   uintptr
	ActiveProcessLimit      uint32
	Affinity                uintptr
	PriorityClass           uint32
	SchedulingClass         uint32
}

// ioCounters is IO_COUNTERS.
type ioCounters struct {
	ReadOperationCount  uint64
	WriteOperationCount uint64
	OtherOperationCount uint64
	ReadTransferCount   uint64
	WriteTransferCount  uint64
	OtherTransferCount  uint64
}

// guardProcess puts this process in a job object that kills every process
// in it when its last handle closes, which is when this process ends. The
// processes it starts join the job as they start.
func guardProcess() error {
	job, _, err := createJobObject.Call(0, 0)
	if job == 0 {
		return err
	}
	limits := jobLimits{BasicLimitInformation: basicLimits{LimitFlags: jobObjectLimitKillOnJobClose}}
	if ok, _, err := setInformationJobObject.Call(job, jobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&limits)), unsafe.Sizeof(limits)); ok == 0 {
		return err
	}
	self, err := syscall.GetCurrentProcess()
	if err != nil {
		return err
	}
	if ok, _, err := assignProcessToJobObject.Call(job, uintptr(self)); ok == 0 {
		return err
	}
	return nil // the handle stays open until this process ends
}

// sweep leaves the work to the job object: every process in it ends with
// this one.
func sweep() (int, bool) { return 0, true }
