module example.com/gotemplates

go 1.19
