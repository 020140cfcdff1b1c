package main

import (
	"os"
	"syscall"
)

// dieWithParent asks the kernel to send SIGTERM to this process when the
// process that started it dies, so a crashed or killed test runner leaves no
// control plane behind. It survives execve, which is how `exec` passes it to
// kwok. Opt-in through SMART_CLUSTER_PDEATHSIG=1 (the harness sets it).
func dieWithParent() {
	if os.Getenv("SMART_CLUSTER_PDEATHSIG") != "1" {
		return
	}
	ppid := os.Getppid()
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	// The parent may have died before prctl took effect.
	if os.Getppid() != ppid || ppid == 1 {
		os.Exit(1)
	}
}

// execReplace replaces this process with argv (PATH is not searched).
func execReplace(argv []string) error {
	return syscall.Exec(argv[0], argv, os.Environ())
}
