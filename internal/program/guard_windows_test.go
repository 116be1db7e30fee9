package program

import (
	"os/exec"
	"testing"
	"unsafe"
)

// setsid does nothing: TestSweep runs on Linux only.
func setsid(cmd *exec.Cmd) {}

// alive is not needed on Windows: TestSweep runs on Linux only.
func alive(pid int) bool { return false }

// killFromOutside is not needed on Windows: TestSweep runs on Linux only.
func killFromOutside(t *testing.T, pid int) { t.Skip("Linux only") }

// TestJobLimitsLayout: jobLimits and its parts take the bytes that Windows
// documents for its structures on a 64-bit system, each field where Windows
// reads it. A wrong size makes SetInformationJobObject fail, and programs
// then outlive the tests.
func TestJobLimitsLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("the sizes checked are those of 64-bit Windows")
	}
	var limits jobLimits
	for _, tt := range []struct {
		name      string
		got, want uintptr
	}{
		{"JOBOBJECT_BASIC_LIMIT_INFORMATION", unsafe.Sizeof(limits.BasicLimitInformation), 64},
		{"IO_COUNTERS", unsafe.Sizeof(limits.IoInfo), 48},
		{"JOBOBJECT_EXTENDED_LIMIT_INFORMATION", unsafe.Sizeof(limits), 144},
		{"LimitFlags's offset", unsafe.Offsetof(limits.BasicLimitInformation.LimitFlags), 16},
		{"SchedulingClass's offset", unsafe.Offsetof(limits.BasicLimitInformation.SchedulingClass), 60},
		{"IoInfo's offset", unsafe.Offsetof(limits.IoInfo), 64},
		{"ProcessMemoryLimit's offset", unsafe.Offsetof(limits.ProcessMemoryLimit), 112},
		{"PeakJobMemoryUsed's offset", unsafe.Offsetof(limits.PeakJobMemoryUsed), 136},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %d bytes, want %d as Windows documents it", tt.name, tt.got, tt.want)
		}
	}
}
