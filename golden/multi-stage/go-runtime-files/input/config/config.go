package config

func Serve(page any, settings []byte) error { return nil }
