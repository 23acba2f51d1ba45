module github.com/libcors/libcors/examples/go

go 1.19
