//go:build unix

package main

import (
	"syscall"
	"unsafe"
)

// touchUnmappedPage reads a byte of a page mapped without access rights: a real memory fault,
// as the upstream SIMD tail load makes (for tests of the recovery).
func touchUnmappedPage() byte {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, page, syscall.PROT_NONE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		panic(err)
	}
	return *(*byte)(unsafe.Pointer(&mem[0]))
}
