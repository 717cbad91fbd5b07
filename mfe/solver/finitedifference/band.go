package finitedifference

import (
	"errors"
	"math"
)

// band is an n × n matrix with bandDiags diagonals below and above the
// main one (the HJB step's Jacobian: tridiagonal but for its first and
// last rows, the extrapolation through four nodes), solved by Gaussian
// elimination with partial pivoting. Row r keeps the columns
// r-bandDiags .. r+2 bandDiags: the pivoting's fill-in stays within
// bandDiags more diagonals above.
type band struct {
	n int
	a []float64 // row r, column j at r*bandWidth + j - r + bandDiags
}

const (
	bandDiags = 3
	bandWidth = 3*bandDiags + 1
)

func newBand(n int) *band { return &band{n: n, a: make([]float64, n*bandWidth)} }

// reset zeroes the matrix.
func (b *band) reset() { clear(b.a) }

// at returns the address of entry (r, j), r-bandDiags <= j <= r+2 bandDiags.
func (b *band) at(r, j int) *float64 { return &b.a[r*bandWidth+j-r+bandDiags] }

// errSingular reports a zero pivot.
var errSingular = errors.New("finitedifference: singular HJB Jacobian")

// solve overwrites rhs with the solution of b x = rhs, destroying b.
func (b *band) solve(rhs []float64) error {
	n := b.n
	for i := range n {
		// Pivot: the largest |entry| in column i among the rows below
		// that reach it.
		p, best := i, math.Abs(*b.at(i, i))
		for r := i + 1; r <= min(i+bandDiags, n-1); r++ {
			if v := math.Abs(*b.at(r, i)); v > best {
				p, best = r, v
			}
		}
		if !(best > 0) {
			return errSingular
		}
		last := min(i+2*bandDiags, n-1)
		if p != i {
			for j := i; j <= last; j++ {
				x, y := b.at(i, j), b.at(p, j)
				*x, *y = *y, *x
			}
			rhs[i], rhs[p] = rhs[p], rhs[i]
		}
		piv := *b.at(i, i)
		for r := i + 1; r <= min(i+bandDiags, n-1); r++ {
			l := *b.at(r, i) / piv
			if l == 0 {
				continue
			}
			*b.at(r, i) = 0
			for j := i + 1; j <= last; j++ {
				*b.at(r, j) -= l * *b.at(i, j)
			}
			rhs[r] -= l * rhs[i]
		}
	}
	for i := n - 1; i >= 0; i-- {
		s := rhs[i]
		for j := i + 1; j <= min(i+2*bandDiags, n-1); j++ {
			s -= *b.at(i, j) * rhs[j]
		}
		rhs[i] = s / *b.at(i, i)
	}
	return nil
}

// tridiag solves the tridiagonal system lo[i] x[i-1] + d[i] x[i] +
// up[i] x[i+1] = rhs[i] in place by the Thomas algorithm, for a diagonally
// dominant matrix (the Fokker–Planck diffusion step's); c is workspace of
// length n.
func tridiag(lo, d, up, rhs, c []float64) {
	n := len(d)
	c[0] = up[0] / d[0]
	rhs[0] /= d[0]
	for i := 1; i < n; i++ {
		m := d[i] - lo[i]*c[i-1]
		c[i] = up[i] / m
		rhs[i] = (rhs[i] - lo[i]*rhs[i-1]) / m
	}
	for i := n - 2; i >= 0; i-- {
		rhs[i] -= c[i] * rhs[i+1]
	}
}
