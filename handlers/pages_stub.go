package handlers

// STUB: the pages helper replaces this file with the real pages.

import "github.com/gofiber/fiber/v2"

type views struct{}

func loadViews() (*views, error) { return &views{}, nil }

func (h *handler) static(app *fiber.App)               {}
func (h *handler) home(c *fiber.Ctx) error             { return fiber.ErrNotImplemented }
func (h *handler) provinceOverview(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (h *handler) rankings(c *fiber.Ctx) error         { return fiber.ErrNotImplemented }
func (h *handler) unit(c *fiber.Ctx) error             { return fiber.ErrNotImplemented }
func (h *handler) methodology(c *fiber.Ctx) error      { return fiber.ErrNotImplemented }
func (h *handler) notFound(c *fiber.Ctx) error         { return fiber.ErrNotFound }
func (h *handler) renderError(c *fiber.Ctx, status int, message string) error {
	return c.Status(status).SendString(message)
}
