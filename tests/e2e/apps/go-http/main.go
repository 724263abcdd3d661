package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

// write writes a file in the working directory and answers its content.
func write(w http.ResponseWriter, r *http.Request) {
	if err := os.WriteFile("written.txt", []byte("written by go-http\n"), 0o644); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	data, err := os.ReadFile("written.txt")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(data)
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "Hello from Go net/http!\n")
	})
	http.HandleFunc("/write", write)
	log.Println("listening on 8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
