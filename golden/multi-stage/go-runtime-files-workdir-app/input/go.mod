module blog

go 1.21
