import "masto";
