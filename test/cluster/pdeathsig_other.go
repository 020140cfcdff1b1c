//go:build !linux

package main

import (
	"errors"
)

func dieWithParent() {}

func execReplace(argv []string) error { return errors.New("exec: only supported on linux") }
