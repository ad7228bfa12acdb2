package handlers

// STUB: replaced by the issue-7 work (what-if, warnings).

import "github.com/gofiber/fiber/v2"

func (h *handler) whatIf(c *fiber.Ctx) error    { return fiber.ErrNotFound }
func (h *handler) warnings(c *fiber.Ctx) error  { return fiber.ErrNotFound }
func (h *handler) apiWhatIf(c *fiber.Ctx) error { return fiber.ErrNotFound }
