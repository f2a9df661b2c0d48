// Package parallel runs independent CPU-bound work on all cores.
package parallel

import (
	"runtime"
	"sync"
)

// For calls f(i) for every i in [0, n) on all CPUs and waits. The calls must be independent;
// their order is not defined.
func For(n int, f func(i int)) {
	workers := min(runtime.NumCPU(), n)
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	wg.Wait()
}
