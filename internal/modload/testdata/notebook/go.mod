// A notebook's go.mod, for the tests: its requirements pin the versions
// cells get, and its own packages are importable.
module example.com/notebook

go 1.22

require github.com/google/btree v1.1.3
