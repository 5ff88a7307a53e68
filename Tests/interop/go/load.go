package main

// Load for the wire benchmark (scripts/wire-benchmark.sh), not for the tests: grpc-go clients
// making unary calls as fast as they are answered, and grpc-go's own health server to measure
// the same calls against. Batched appends from grpc-go clients show what the daemon does beside
// Redis's own benchmark client, which costs a fraction of goethectl's CPU per event on the same
// cores.

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"sync"
	"time"

	pb "goethe/interop/goethepb"
	"goethe/interop/v1pb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	"google.golang.org/grpc/health/grpc_health_v1"
)

func init() {
	scenarios["unary-load"] = unaryLoad
	scenarios["reference-health-server"] = referenceHealthServer
}

// unaryLoad runs -clients connections, each making unary calls one after another, -count calls in
// all: v1 Produce of 100-byte events (-method produce), health Check (-method health), or Append
// of -batch 100-byte events each (-method append, -count events in all).
func unaryLoad(ctx context.Context, opts options, args []string) (observation, error) {
	flags := flag.NewFlagSet("unary-load", flag.ContinueOnError)
	clients := flags.Int("clients", 8, "connections, each with one call at a time")
	method := flags.String("method", "produce", "produce, health or append")
	batch := flags.Int("batch", 100, "events per Append (-method append)")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if *method != "produce" && *method != "health" && *method != "append" {
		return nil, fmt.Errorf("unknown -method %q: produce, health or append", *method)
	}
	events := 1
	if *method == "append" {
		if *batch < 1 {
			return nil, fmt.Errorf("-batch must be at least 1")
		}
		events = *batch
	}
	per := opts.count / events / *clients
	payload := make([]byte, 100)
	// Each batch's events are distinct random capital letters, as goethectl bench writes them,
	// so that the store's block compression does not flatter the figures.
	payloads := make([][]byte, events)
	for i := range payloads {
		payloads[i] = make([]byte, len(payload))
		for j := range payloads[i] {
			payloads[i][j] = byte('A' + rand.Intn(26))
		}
	}
	errs := make(chan error, *clients)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < *clients; i++ {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			conn, err := dial(opts.addr)
			if err != nil {
				ready.Done()
				errs <- err
				return
			}
			defer conn.Close()
			goethe := v1pb.NewGoetheClient(conn)
			appender := pb.NewGoetheClient(conn)
			healthClient := grpc_health_v1.NewHealthClient(conn)
			_, err = healthClient.Check(ctx, &grpc_health_v1.HealthCheckRequest{})
			ready.Done()
			if err != nil {
				errs <- err
				return
			}
			<-start
			for j := 0; j < per; j++ {
				switch *method {
				case "produce":
					_, err = goethe.Produce(ctx, &v1pb.Event{Topic: &v1pb.Topic{Id: opts.topic}, Payload: payload})
				case "append":
					_, err = appender.Append(ctx, &pb.AppendRequest{Topic: opts.topic, Payloads: payloads})
				default:
					_, err = healthClient.Check(ctx, &grpc_health_v1.HealthCheckRequest{})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	ready.Wait()
	began := time.Now()
	close(start)
	done.Wait()
	elapsed := time.Since(began)
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	calls := per * *clients
	return observation{"calls": calls, "events": calls * events, "seconds": elapsed.Seconds(),
		"calls_per_second":  float64(calls) / elapsed.Seconds(),
		"events_per_second": float64(calls*events) / elapsed.Seconds()}, nil
}

// referenceHealthServer serves grpc-go's health service on -addr (port 0 for any free port),
// prints the bound address on stderr, and serves until the scenario's time runs out.
func referenceHealthServer(ctx context.Context, opts options, args []string) (observation, error) {
	listener, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "listening %s\n", listener.Addr())
	server := grpc.NewServer()
	grpc_health_v1.RegisterHealthServer(server, health.NewServer())
	go func() {
		<-ctx.Done()
		server.Stop()
	}()
	err = server.Serve(listener)
	return observation{}, err
}
