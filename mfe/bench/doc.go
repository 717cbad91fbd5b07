// Package bench times the memoir-size training epoch of direct MFC and of
// the FBSDE (MFG) on this project's GoMLX backend and, beside it, the same
// epoch in PyTorch: `mfe bench` is its command.
package bench
