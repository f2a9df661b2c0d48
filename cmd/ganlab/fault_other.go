//go:build !unix

package main

// touchUnmappedPage has nothing to fault on here: the fault-recovery test runs on unix.
func touchUnmappedPage() byte { return 0 }
