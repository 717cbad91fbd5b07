// Package tools pins the Go programs the notebook pipeline needs, as Go module
// tools (see the tool directives in go.mod): the GoNB Jupyter kernel and the
// gopls and goimports it runs. setup/install.sh builds them with
// `go install tool` from this module, so versions come from go.mod/go.sum and
// no version listing is ever asked of the module proxy.
//
// It is a separate module so that these dependencies stay out of the main go.mod.
package tools
