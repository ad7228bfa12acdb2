package handlers

// STUB: replaced by the issue-5 work (reports, exports, open data, embeds).

import "github.com/gofiber/fiber/v2"

func (h *handler) reportLatest(c *fiber.Ctx) error       { return fiber.ErrNotFound }
func (h *handler) report(c *fiber.Ctx) error             { return fiber.ErrNotFound }
func (h *handler) exportOverview(c *fiber.Ctx) error     { return fiber.ErrNotFound }
func (h *handler) exportRankings(c *fiber.Ctx) error     { return fiber.ErrNotFound }
func (h *handler) exportUnit(c *fiber.Ctx) error         { return fiber.ErrNotFound }
func (h *handler) openDataIndex(c *fiber.Ctx) error      { return fiber.ErrNotFound }
func (h *handler) openDataDictionary(c *fiber.Ctx) error { return fiber.ErrNotFound }
func (h *handler) openDataScheme(c *fiber.Ctx) error     { return fiber.ErrNotFound }
func (h *handler) openDataFile(c *fiber.Ctx) error       { return fiber.ErrNotFound }
func (h *handler) embedTrend(c *fiber.Ctx) error         { return fiber.ErrNotFound }
func (h *handler) embedGroups(c *fiber.Ctx) error        { return fiber.ErrNotFound }
func (h *handler) embedRanking(c *fiber.Ctx) error       { return fiber.ErrNotFound }
