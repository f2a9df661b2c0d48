package main

import "github.com/gomlx/compute"

type backendT = compute.Backend
