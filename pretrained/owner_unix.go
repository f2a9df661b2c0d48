//go:build unix

package pretrained

import (
	"os"
	"syscall"
)

// ownedByMe reports the owner of path and whether it is this process's user.
func ownedByMe(path string) (int, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return -1, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, true
	}
	return int(sys.Uid), int(sys.Uid) == os.Getuid()
}
