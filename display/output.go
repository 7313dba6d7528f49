package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	_ "image/gif" // image.DecodeConfig of GIF data
	"image/jpeg"
	"image/png"
	"regexp"
	"sort"
	"strings"
)

// Output is one rich output: a MIME bundle and its metadata (for example
// {"image/png": {"width": 200}} to scale an image).
type Output struct {
	Data     map[string]any
	Metadata map[string]any
}

// withFallback returns o with a text/plain entry (and non-nil maps).
func (o Output) withFallback() Output {
	data := make(map[string]any, len(o.Data)+1)
	for k, v := range o.Data {
		data[k] = v
	}
	if _, ok := data["text/plain"]; !ok {
		data["text/plain"] = PlainText(data)
	}
	meta := o.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	return Output{Data: data, Metadata: meta}
}

// tags matches HTML tags, for the text fallback of HTML.
var (
	tags   = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<[^>]*>`)
	spaces = regexp.MustCompile(`[ \t]+`)
	blanks = regexp.MustCompile(`\n\s*\n+`)
)

// PlainText returns a text/plain rendering of a MIME bundle without one:
// Markdown and LaTeX as written, HTML without its tags, JSON indented,
// images as "[PNG image 200x100]".
func PlainText(data map[string]any) string {
	if s, ok := data["text/markdown"].(string); ok {
		return s
	}
	if s, ok := data["text/latex"].(string); ok {
		return s
	}
	if s, ok := data["text/html"].(string); ok {
		t := html.UnescapeString(tags.ReplaceAllString(s, ""))
		t = strings.TrimSpace(blanks.ReplaceAllString(spaces.ReplaceAllString(t, " "), "\n"))
		if t != "" {
			return t
		}
		return "[HTML]"
	}
	if v, ok := data["application/json"]; ok {
		b, err := json.MarshalIndent(v, "", "  ")
		if err == nil {
			return string(b)
		}
	}
	if s, ok := data["image/svg+xml"].(string); ok {
		if w, h := svgSize(s); w != "" && h != "" {
			return fmt.Sprintf("[SVG image %sx%s]", w, h)
		}
		return "[SVG image]"
	}
	for _, m := range []string{"image/png", "image/jpeg", "image/gif"} {
		if s, ok := data[m].(string); ok {
			name := strings.ToUpper(strings.TrimPrefix(m, "image/"))
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				if c, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil {
					return fmt.Sprintf("[%s image %dx%d]", name, c.Width, c.Height)
				}
			}
			return "[" + name + " image]"
		}
	}
	var types []string
	for k := range data {
		types = append(types, k)
	}
	sort.Strings(types)
	return "[" + strings.Join(types, ", ") + "]"
}

// svgSize matches the width and height attributes of an svg element.
var (
	svgWidth  = regexp.MustCompile(`<svg[^>]*\swidth="([\d.]+)`)
	svgHeight = regexp.MustCompile(`<svg[^>]*\sheight="([\d.]+)`)
)

func svgSize(s string) (w, h string) {
	if m := svgWidth.FindStringSubmatch(s); m != nil {
		w = m[1]
	}
	if m := svgHeight.FindStringSubmatch(s); m != nil {
		h = m[1]
	}
	return w, h
}

// Mime returns an output with one MIME type.
func Mime(mimeType string, content any) Output {
	return Output{Data: map[string]any{mimeType: content}}
}

// HTMLOutput returns a text/html output.
func HTMLOutput(s string) Output { return Mime("text/html", s) }

// MarkdownOutput returns a text/markdown output.
func MarkdownOutput(s string) Output { return Mime("text/markdown", s) }

// SVGOutput returns an image/svg+xml output.
func SVGOutput(s string) Output { return Mime("image/svg+xml", s) }

// TextOutput returns a text/plain output.
func TextOutput(s string) Output { return Mime("text/plain", s) }

// LaTeXOutput returns a text/latex output, e.g. `$e^{i\pi} + 1 = 0$`.
func LaTeXOutput(s string) Output { return Mime("text/latex", s) }

// PNGOutput returns an image/png output of encoded PNG bytes.
func PNGOutput(b []byte) Output { return Mime("image/png", base64.StdEncoding.EncodeToString(b)) }

// JPEGOutput returns an image/jpeg output of encoded JPEG bytes.
func JPEGOutput(b []byte) Output { return Mime("image/jpeg", base64.StdEncoding.EncodeToString(b)) }

// JSONOutput returns an application/json output of v, which must be
// encodable as JSON.
func JSONOutput(v any) (Output, error) {
	// Round-trip so that the kernel sends plain JSON values.
	b, err := json.Marshal(v)
	if err != nil {
		return Output{}, fmt.Errorf("display.JSON: %w", err)
	}
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		return Output{}, fmt.Errorf("display.JSON: %w", err)
	}
	return Mime("application/json", plain), nil
}

// ImageOutput returns an image/png output of img.
func ImageOutput(img image.Image) (Output, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Output{}, fmt.Errorf("display.Image: %w", err)
	}
	return PNGOutput(buf.Bytes()), nil
}

// JPEGImageOutput returns an image/jpeg output of img at the given
// quality (1 to 100; 0 means 90).
func JPEGImageOutput(img image.Image, quality int) (Output, error) {
	if quality <= 0 {
		quality = 90
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return Output{}, fmt.Errorf("display.JPEGImage: %w", err)
	}
	return JPEGOutput(buf.Bytes()), nil
}

// BundleOutput returns an output of a full MIME bundle and its metadata.
// Binary values ([]byte, e.g. PNG data) are base64-encoded as Jupyter
// wants.
func BundleOutput(data, metadata map[string]any) Output {
	d := make(map[string]any, len(data))
	for k, v := range data {
		if b, ok := v.([]byte); ok {
			v = base64.StdEncoding.EncodeToString(b)
		}
		d[k] = v
	}
	return Output{Data: d, Metadata: metadata}
}
