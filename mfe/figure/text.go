package figure

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MinTextSize is the smallest text a figure draws at its default size.
const MinTextSize = vg.Length(8)

// CheckText draws f at its default size (see Size) and reports every text
// that uses a character its font has no glyph for, which gonum draws as
// nothing ("m ∝ exp(−u)" came out as "m  exp(-u)"), or that is smaller
// than MinTextSize. The error names each such text; nil means none.
func CheckText(f Figure) error {
	w, h := Size(f)
	var errs []error
	for _, t := range drawnTexts(f, w, h) {
		if t.size < MinTextSize {
			errs = append(errs, fmt.Errorf("figure: text %q is %v pt, below %v pt", t.text, float64(t.size), float64(MinTextSize)))
		}
		for _, r := range t.text {
			if r == '\n' {
				continue
			}
			if i, err := t.face.Face.GlyphIndex(nil, r); err != nil || i == 0 {
				errs = append(errs, fmt.Errorf("figure: text %q: font %s has no glyph for %q (U+%04X)", t.text, t.face.Name(), r, r))
			}
		}
	}
	return errors.Join(errs...)
}

// drawnText is one text drawn on a canvas: its string, font and position
// (in the canvas's coordinates, before any rotation).
type drawnText struct {
	text string
	face font.Face
	size vg.Length
	at   vg.Point
}

// drawnTexts draws f on a w × h canvas that records the texts drawn.
func drawnTexts(f Figure, w, h vg.Length) []drawnText {
	r := &textRecorder{w: w, h: h, moves: []vg.Point{{}}}
	f.Draw(draw.New(r))
	return r.texts
}

// textRecorder is a vg.CanvasSizer that draws nothing and records the
// texts; it follows translations (the only transformation gonum applies
// to a text other than the y label's rotation).
type textRecorder struct {
	w, h  vg.Length
	moves []vg.Point // translation, one per Push level
	texts []drawnText
}

func (r *textRecorder) Size() (w, h vg.Length)              { return r.w, r.h }
func (r *textRecorder) SetLineWidth(vg.Length)              {}
func (r *textRecorder) SetLineDash([]vg.Length, vg.Length)  {}
func (r *textRecorder) SetColor(color.Color)                {}
func (r *textRecorder) Rotate(float64)                      {}
func (r *textRecorder) Scale(float64, float64)              {}
func (r *textRecorder) Stroke(vg.Path)                      {}
func (r *textRecorder) Fill(vg.Path)                        {}
func (r *textRecorder) DrawImage(vg.Rectangle, image.Image) {}

func (r *textRecorder) Translate(pt vg.Point) {
	m := &r.moves[len(r.moves)-1]
	*m = m.Add(pt)
}

func (r *textRecorder) Push() { r.moves = append(r.moves, r.moves[len(r.moves)-1]) }

func (r *textRecorder) Pop() {
	if len(r.moves) > 1 {
		r.moves = r.moves[:len(r.moves)-1]
	}
}

func (r *textRecorder) FillString(f font.Face, pt vg.Point, text string) {
	r.texts = append(r.texts, drawnText{text: text, face: f, size: f.Font.Size, at: pt.Add(r.moves[len(r.moves)-1])})
}
