package install

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// LogoSVG is goawait's logo: a Go-blue disc holding an hourglass, the
// picture of a task that awaits.
const LogoSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <title>goawait</title>
  <circle cx="32" cy="32" r="30" fill="#00ADD8"/>
  <path d="M20 14 H44 V18 L35 32 L44 46 V50 H20 V46 L29 32 L20 18 Z" fill="#ffffff"/>
  <path d="M25 46 L32 38 L39 46 Z" fill="#00ADD8"/>
</svg>
`

// LogoPNG draws the logo as a size x size PNG.
func LogoPNG(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	s := float64(size) / 64
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Sample at the pixel centre, in the SVG's 64x64 coordinates.
			u, v := (float64(x)+0.5)/s, (float64(y)+0.5)/s
			if math.Hypot(u-32, v-32) > 30 {
				continue
			}
			c := blue
			if inHourglass(u, v) && !(v > 38 && v < 46 && math.Abs(u-32) < (v-38)*7/8) {
				c = white
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
}

// inHourglass reports whether (u, v) lies in the hourglass of LogoSVG.
func inHourglass(u, v float64) bool {
	if v < 14 || v > 50 || u < 20 || u > 44 {
		return false
	}
	if v <= 18 || v >= 46 {
		return true
	}
	// Half-width shrinks linearly from 12 at the rims to 3 at the waist.
	d := math.Abs(v - 32)
	return math.Abs(u-32) <= 3+(d/14)*9
}
