// Package build reports the version of the running binary.
package build

import "runtime/debug"

// Version is set at link time with
// -ldflags "-X github.com/medkg/medkg/internal/build.Version=v1.2.3";
// otherwise it falls back to the module version recorded by the Go tool.
var Version = ""

// CurrentVersion returns Version, the main module's version from the build
// info, or "dev".
func CurrentVersion() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// GoVersion returns the Go toolchain the binary was built with.
func GoVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.GoVersion
	}
	return "unknown"
}
