# syntax=docker/dockerfile:1
# Build: cgo is needed for the embedded SQLite driver (gorm.io/driver/sqlite).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/scorecard . \
 && mkdir -p /out/data

# Runtime: distroless keeps glibc (for cgo) and nothing else; runs as nonroot.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/scorecard /usr/local/bin/scorecard
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV SCORECARD_ADDR=0.0.0.0:8080 \
    SCORECARD_DB=/data/scorecard.db \
    SCORECARD_NO_DEMO=true
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/scorecard", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/scorecard"]
CMD ["serve"]
