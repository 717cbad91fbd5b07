// Command pjrt-install installs a PJRT plugin for GoMLX's XLA backend, ahead
// of time (the mfe programs never download at run time). It is a thin shell
// over github.com/gomlx/go-xla/installer, the installer go-xla ships; it needs
// internet access, so it runs when an image is built (see the Dockerfile) or
// by hand:
//
//	go run ./mfe/cmd/pjrt-install -plugin cpu -path /usr/local/lib
//
// The plugin lands in PATH/go-xla, where the backend package looks for it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gomlx/go-xla/installer"
)

func main() {
	plugin := flag.String("plugin", "cpu", "PJRT plugin to install: cpu or cuda")
	path := flag.String("path", "", "library directory (default ~/.local/lib); the plugin goes to PATH/go-xla")
	flag.Parse()
	if *plugin != "cpu" && *plugin != "cuda" {
		fmt.Fprintf(os.Stderr, "pjrt-install: invalid value %q for flag -plugin: want cpu or cuda\n", *plugin)
		os.Exit(2)
	}
	if err := installer.AutoInstallPlugin(*plugin, *path, true, installer.Normal); err != nil {
		fmt.Fprintln(os.Stderr, "pjrt-install:", err)
		os.Exit(1)
	}
}
