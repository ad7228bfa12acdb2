package handlers

// STUB: the API helper replaces this file with the real API and error handler.

import "github.com/gofiber/fiber/v2"

func (h *handler) apiPeriods(c *fiber.Ctx) error  { return fiber.ErrNotImplemented }
func (h *handler) apiRankings(c *fiber.Ctx) error { return fiber.ErrNotImplemented }
func (h *handler) apiUnit(c *fiber.Ctx) error     { return fiber.ErrNotImplemented }
func (h *handler) apiScheme(c *fiber.Ctx) error   { return fiber.ErrNotImplemented }
func (h *handler) apiNotFound(c *fiber.Ctx) error { return fiber.ErrNotFound }
func (h *handler) errorHandler(c *fiber.Ctx, err error) error {
	return h.renderError(c, fiber.StatusInternalServerError, "Đã có lỗi xảy ra.")
}
