module example.com/nb

go 1.22
