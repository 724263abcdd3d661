# expect: port 8080/tcp answers 500
# probe: /write
# A hand-written "rewrite" of apps/go-http that runs as an unprivileged user
# but leaves its WORKDIR owned by root: it starts and answers /, but cannot
# write in its working directory. `dfopt verify --run --probe /write` must
# reject it (tests/e2e/e2e.py, --verify-broken).
FROM golang:1.19

WORKDIR /app
COPY . .
RUN go mod download
RUN go build -o /app/server .

USER nobody
EXPOSE 8080
CMD ["/app/server"]
