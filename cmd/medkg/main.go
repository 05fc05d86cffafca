// Command medkg turns Chinese medical articles into a knowledge graph and
// answers questions over it with evidence. See `medkg --help`.
package main

import (
	"os"

	"github.com/medkg/medkg/internal/cli"
)

func main() { os.Exit(cli.Main()) }
