module github.com/libcors/libcors

go 1.19
