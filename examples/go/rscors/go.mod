// The Go binding's Exchange against a real net/http app wrapped in
// github.com/rs/cors, taken from Debian (golang-github-rs-cors-dev) so that
// nothing is downloaded; its own module so that the binding needs nothing
// but the standard library. make check-ffi runs it.
module github.com/libcors/libcors/examples/go/rscors

go 1.19

require (
	github.com/libcors/libcors/examples/go v0.0.0
	github.com/rs/cors v1.7.0
)

replace (
	github.com/libcors/libcors/examples/go => ../
	github.com/rs/cors => /usr/share/gocode/src/github.com/rs/cors
)
