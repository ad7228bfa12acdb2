package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/web"
)

// Views holds the page templates and the static files, both read from the
// embedded web package: every page is parsed at boot, so that a broken
// template stops the server from starting instead of failing a visitor's
// request.
type Views struct {
	base   string // the base path, put in front of every site path
	static map[string]*staticFile
	own    template.FuncMap // the pages' own template functions
	// byLang holds every page once per language (lang.go): the template
	// functions t, cents, pct… are bound to the language. A page is
	// parsed for a language on its first use there (page): every page in
	// every language, each with its own copy of the layout and partials,
	// held some 25 MB, more than half of them for pages or a language
	// nobody asked for since the start.
	byLang map[i18n.Lang]map[string]*lazyPage
}

// lazyPage is a page template parsed on its first use.
type lazyPage struct {
	lang i18n.Lang
	file string
	once sync.Once
	t    *template.Template
	err  error
}

// staticFile is one embedded asset, kept in memory with its gzip form.
type staticFile struct {
	body  []byte
	gz    []byte // nil when compression does not pay (images, tiny files)
	ctype string
	etag  string
	hash  string // first hex digits of the SHA-256, for ?v= cache busting
}

// LoadViews parses every page with the layout and partials, and loads the
// static files. base is the base path (Site.BasePath), which the templates'
// url and asset put in front of site paths; funcs are the template
// functions of the pages' own; every page named in required must exist.
func LoadViews(base string, funcs template.FuncMap, required ...string) (*Views, error) {
	v := &Views{base: base, static: map[string]*staticFile{}, own: funcs, byLang: map[i18n.Lang]map[string]*lazyPage{}}
	if err := v.loadStatic(); err != nil {
		return nil, err
	}
	files, err := fs.Glob(web.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("site: list pages: %w", err)
	}
	for _, l := range i18n.Langs {
		pages := map[string]*lazyPage{}
		for _, f := range files {
			pages[strings.TrimSuffix(path.Base(f), ".html")] = &lazyPage{lang: l, file: f}
		}
		for _, name := range append([]string{"error"}, required...) {
			if pages[name] == nil {
				return nil, fmt.Errorf("site: page template %q is missing", name)
			}
		}
		v.byLang[l] = pages
	}
	// Every page parsed once now (the language changes the functions'
	// results, not what parses), then let go.
	for _, f := range files {
		if _, err := v.parsePage(f, i18n.Default); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// page is the template of page in language l, nil when there is no such
// page.
func (v *Views) page(l i18n.Lang, page string) (*template.Template, error) {
	p, ok := v.byLang[l][page]
	if !ok {
		return nil, nil
	}
	p.once.Do(func() { p.t, p.err = v.parsePage(p.file, p.lang) })
	return p.t, p.err
}

// parsePage parses a page with the layout and partials, with the shared
// template functions and the language's own (langFuncs).
func (v *Views) parsePage(file string, l i18n.Lang) (*template.Template, error) {
	funcs := template.FuncMap{
		// url is a site path under the base path: every link and form
		// action of a template goes through it.
		"url":   v.URL,
		"asset": v.asset,
		// A /static/ URL given whole (the ECharts URL of go-echarts) with its
		// content hash, so the library is fingerprinted too.
		"assetURL": v.assetURL,
	}
	for name, fn := range v.own {
		funcs[name] = fn
	}
	for name, fn := range langFuncs(l) {
		funcs[name] = fn
	}
	t, err := template.New("root").Funcs(funcs).ParseFS(web.Templates,
		"templates/layouts/*.html", "templates/partials/*.html", file)
	if err != nil {
		return nil, fmt.Errorf("site: parse %s (language %s): %w", file, l, err)
	}
	if t.Lookup("content") == nil {
		return nil, fmt.Errorf("site: %s defines no \"content\" template", file)
	}
	return t, nil
}

// compressible lists the types worth gzipping.
var compressible = map[string]bool{".js": true, ".css": true, ".svg": true, ".json": true, ".txt": true, ".md": true}

func (v *Views) loadStatic() error {
	return fs.WalkDir(web.Static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("site: walk static: %w", err)
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(web.Static, p)
		if err != nil {
			return fmt.Errorf("site: read %s: %w", p, err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		ext := path.Ext(p)
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		if ext == ".js" {
			// Host mime tables disagree (application/javascript vs text/javascript).
			ctype = "text/javascript; charset=utf-8"
		}
		f := &staticFile{body: body, ctype: ctype, etag: `"` + hash[:32] + `"`, hash: hash[:12]}
		if compressible[ext] && len(body) > 1024 {
			var buf bytes.Buffer
			zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			if err != nil {
				return fmt.Errorf("site: gzip %s: %w", p, err)
			}
			if _, err := zw.Write(body); err != nil {
				return fmt.Errorf("site: gzip %s: %w", p, err)
			}
			if err := zw.Close(); err != nil {
				return fmt.Errorf("site: gzip %s: %w", p, err)
			}
			f.gz = buf.Bytes()
		}
		v.static[strings.TrimPrefix(p, "static/")] = f
		return nil
	})
}

// asset is the URL of a static file with its content hash, so that browsers
// may keep it for a year and still see a new version at once.
func (v *Views) asset(name string) (string, error) {
	f, ok := v.static[name]
	if !ok {
		return "", fmt.Errorf("site: unknown asset %q", name)
	}
	return v.URL("/static/" + name + "?v=" + f.hash), nil
}

// URL is a site path under the base path (Site.URL).
func (v *Views) URL(u string) string { return underBase(v.base, u) }

// assetURL fingerprints a site URL under /static/ (asset by URL); any
// other URL is returned as it is.
func (v *Views) assetURL(u string) (string, error) {
	name, ok := strings.CutPrefix(u, "/static/")
	if !ok {
		return v.URL(u), nil
	}
	return v.asset(name)
}

// Static serves the embedded files under /static/.
func (s *Site) Static(c *fiber.Ctx) error {
	name := path.Clean("/" + c.Params("*"))[1:]
	f, ok := s.Views.static[name]
	if !ok {
		return PageNotFound()
	}
	// Vendored files never change under the same path (a new ECharts comes
	// with a new README and is a new release of ours), and our own files are
	// linked with ?v=<hash>: both may be cached for a year. A bare request
	// for our own file revalidates, so an old link never serves stale code.
	if strings.HasPrefix(name, "vendor/") || c.Query("v") == f.hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderETag, f.etag)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, f.ctype)
	c.Vary(fiber.HeaderAcceptEncoding)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, f.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if f.gz != nil && acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.body)
}

// acceptsGzip reads Accept-Encoding; "gzip;q=0" refuses it.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.TrimSpace(k) == "q" {
				q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}

// ContentSecurityPolicy allows only our own scripts: pages carry no inline
// script at all (chart options travel as data attributes). Inline styles
// stay allowed because ECharts positions its tooltip with style attributes.
// Every page may be framed by our own pages only, except the /embed/ pages,
// which other sites put in an iframe (embed.go adds their list).
const ContentSecurityPolicy = auth.CSPBase + "; frame-ancestors 'self'"

// Render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page. The page is in the visitor's language;
// its frame is filled in (fillFrame).
func (s *Site) Render(c *fiber.Ctx, status int, page string, data Page) error {
	return s.RenderWith(c, status, page, "layout", ContentSecurityPolicy, data)
}

// RenderWith is Render with another frame (the embed pages'
// "embed-layout") and another policy (their frame-ancestors).
func (s *Site) RenderWith(c *fiber.Ctx, status int, page, frame, csp string, data Page) error {
	l := Lang(c)
	t, err := s.Views.page(l, page)
	if err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("site: no page template %q", page)
	}
	s.fillFrame(c, data.frame(), l)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, frame, data); err != nil {
		return fmt.Errorf("site: render %s: %w", page, err)
	}
	rememberLang(c, l)
	c.Set(fiber.HeaderContentSecurityPolicy, csp)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderContentLanguage, string(l))
	return sendCompressed(c.Status(status), buf.Bytes())
}
