// Command goethe-interop is a Goethe client built on grpc-go, for the interop tests in
// Tests/interop: each subcommand runs one scenario against a daemon and prints what it observed as
// one JSON object on stdout. It judges nothing itself; test_interop.py holds the expectations, the
// same for this client and the Python one, so both are held to one specification.
//
// It connects with grpc-go's default dial options (plain text aside), as a v1 program does: BDP
// pings stay on, so the daemon sees the pings real Go clients send.
//
// Usage: goethe-interop -addr HOST:PORT SUBCOMMAND [flags]
//
//	produce-consume -topic T -consumer C -count N   sequential Produce while a v1 Consume reads
//	v1-case NAME -topic T -consumer C               one step of the v1 Consume/Produce contract
//	deadline NAME -topic T -consumer C              a call whose deadline passes
//	newer-rpcs -topic T                             Append, then Subscribe with a limit
//	topics                                          the names ListTopics returns
//	cursor -topic T -consumer C                     what GetCursor returns
//	cancellations -topic T -count N                 N calls cancelled beside a subscription
//
// Exit status: 0 when the scenario ran (whatever it observed), 1 when it could not run (a setup
// call failed), 2 for a usage error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Every scenario gives up after this long, so that a daemon that never answers cannot hang a test.
const scenarioTimeout = 60 * time.Second

type observation map[string]interface{}

type options struct {
	addr     string
	topic    string
	consumer string
	count    int
}

type scenario func(ctx context.Context, opts options, args []string) (observation, error)

var scenarios = map[string]scenario{
	"produce-consume": produceConsume,
	"v1-case":         v1Case,
	"deadline":        deadline,
	"newer-rpcs":      newerRPCs,
	"topics":          topics,
	"cursor":          cursor,
	"cancellations":   cancellations,
}

func main() {
	logs := captureGrpcLogs()
	global := flag.NewFlagSet("goethe-interop", flag.ContinueOnError)
	addr := global.String("addr", "", "daemon address, host:port")
	if err := global.Parse(os.Args[1:]); err != nil || *addr == "" || global.NArg() == 0 {
		usage("usage: goethe-interop -addr HOST:PORT SUBCOMMAND [flags]")
	}
	name := global.Arg(0)
	run, ok := scenarios[name]
	if !ok {
		usage("unknown subcommand " + name)
	}
	local := flag.NewFlagSet(name, flag.ContinueOnError)
	opts := options{addr: *addr}
	local.StringVar(&opts.topic, "topic", "", "topic id")
	local.StringVar(&opts.consumer, "consumer", "", "consumer name")
	local.IntVar(&opts.count, "count", 10000, "events to produce")
	if err := local.Parse(global.Args()[1:]); err != nil {
		usage(err.Error())
	}

	ctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
	defer cancel()
	result, err := run(ctx, opts, local.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "goethe-interop:", err)
		os.Exit(1)
	}
	result["goaway_logs"] = logs.goAways()
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
}

func usage(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(2)
}

// dial opens a new connection with grpc-go's default options; each call makes its own connection.
func dial(addr string) (*grpc.ClientConn, error) {
	return grpc.Dial(addr, grpc.WithInsecure())
}

// codeNames spells status codes as the gRPC specification does (DEADLINE_EXCEEDED), as Python does.
var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
	codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
	codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED",
	codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL",
	codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
}

// statusOf is nil for success, else {"code": "RESOURCE_EXHAUSTED", "message": "..."}.
func statusOf(err error) interface{} {
	if err == nil {
		return nil
	}
	s := status.Convert(err)
	name, ok := codeNames[s.Code()]
	if !ok {
		name = strings.ToUpper(s.Code().String())
	}
	return map[string]string{"code": name, "message": s.Message()}
}
