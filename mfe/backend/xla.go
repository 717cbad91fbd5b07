//go:build cgo && linux && (amd64 || arm64) && !noxla

package backend

import (
	"github.com/gomlx/go-xla/compute/xla" // registers "xla" (and aliases); no auto-install.
)

func init() {
	// Never download PJRT plugins, even if some other package linked the auto-installer in.
	xla.EnableAutoInstall(false)
	xlaSupport = &xlaHooks{plugins: xla.GetAvailablePlugins}
}
