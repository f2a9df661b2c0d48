package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ganlab/ganlab/avatar"
	"github.com/ganlab/ganlab/backend"
	"github.com/ganlab/ganlab/datasets"
)

func main() {
	b := backend.MustNew("")
	heads := datasets.DefaultHeads()
	for _, a := range os.Args[1:] {
		kind, w := avatar.BiLayer, 0
		if a[0] == 'b' {
			kind = avatar.Baseline
		}
		w, _ = strconv.Atoi(a[1:])
		c := avatar.DefaultConfig(kind)
		c.Width = w
		m, _ := avatar.New(b, c)
		src, lmk, _ := heads.Frame(heads.Train, datasets.HeadPose{})
		av, err := m.Init(src, lmk, nil)
		if err != nil {
			panic(err)
		}
		_, l2, _ := heads.Frame(heads.Train, datasets.HeadPose{Yaw: 0.5})
		av.Render(l2)
		t0 := time.Now()
		for range 100 {
			av.Render(l2)
		}
		fmt.Println(kind, w, "per frame", time.Since(t0)/100, m.Parameters())
	}
}
