module libcors.example/cors

go 1.19
