import rich
