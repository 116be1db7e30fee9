// Built by the Windows step with MinGW-w64, never by the go command:
//go:build ignore

// A stand-in for bcryptprimitives.dll, for running Windows builds under Wine.
//
// Go 1.24 and later read random bytes on Windows with ProcessPrng from
// bcryptprimitives.dll and stop at start-up without it. Wine 8.0 (Debian 12)
// does not have that function, so .ci/windows/run builds this file into the
// Wine prefix's system32. It hands the job to BCryptGenRandom, which Wine has,
// with the system's preferred random number generator (no algorithm handle).
// Windows itself has the real DLL; this file is for CI only.
#include <limits.h>
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    if (size > ULONG_MAX) // BCryptGenRandom counts in ULONG; nothing here asks for 4 GB
        return FALSE;
    return BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, (ULONG)size, BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}
