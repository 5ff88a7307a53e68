// What a client sees of its connections besides call results: connectivity states after the
// connection first became ready (a GOAWAY sends it back to IDLE or CONNECTING), and the GOAWAY
// frames grpc-go itself reports in its log.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/grpclog"
)

// connectionWatch records every state a connection passes through after its first READY.
type connectionWatch struct {
	mu       sync.Mutex
	left     []string
	stop     context.CancelFunc
	finished chan struct{}
}

func watchConnection(conn *grpc.ClientConn) *connectionWatch {
	ctx, stop := context.WithCancel(context.Background())
	w := &connectionWatch{stop: stop, finished: make(chan struct{})}
	go func() {
		defer close(w.finished)
		ready := false
		state := conn.GetState()
		for {
			if state == connectivity.Ready {
				ready = true
			} else if ready {
				w.mu.Lock()
				w.left = append(w.left, state.String())
				w.mu.Unlock()
			}
			if !conn.WaitForStateChange(ctx, state) {
				return
			}
			state = conn.GetState()
		}
	}()
	return w
}

// statesAfterReady stops watching and returns the states seen after READY (empty when it stayed up).
func (w *connectionWatch) statesAfterReady() []string {
	w.stop()
	<-w.finished
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string{}, w.left...)
}

// grpcLogs keeps grpc-go's log lines that mention GOAWAY; the others go to stderr only when
// GOETHE_INTEROP_VERBOSE is set.
type grpcLogs struct {
	mu      sync.Mutex
	lines   []string
	verbose bool
}

func captureGrpcLogs() *grpcLogs {
	logs := &grpcLogs{verbose: os.Getenv("GOETHE_INTEROP_VERBOSE") != ""}
	grpclog.SetLoggerV2(logs)
	return logs
}

func (l *grpcLogs) goAways() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.lines...)
}

func (l *grpcLogs) record(line string) {
	if strings.Contains(strings.ToLower(line), "goaway") {
		l.mu.Lock()
		l.lines = append(l.lines, line)
		l.mu.Unlock()
	}
	if l.verbose {
		fmt.Fprintln(os.Stderr, "grpc:", line)
	}
}

func (l *grpcLogs) Info(args ...interface{})                 { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Infoln(args ...interface{})               { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Infof(format string, args ...interface{}) { l.record(fmt.Sprintf(format, args...)) }
func (l *grpcLogs) Warning(args ...interface{})              { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Warningln(args ...interface{})            { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Warningf(format string, args ...interface{}) {
	l.record(fmt.Sprintf(format, args...))
}
func (l *grpcLogs) Error(args ...interface{})                 { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Errorln(args ...interface{})               { l.record(fmt.Sprint(args...)) }
func (l *grpcLogs) Errorf(format string, args ...interface{}) { l.record(fmt.Sprintf(format, args...)) }
func (l *grpcLogs) Fatal(args ...interface{})                 { l.record(fmt.Sprint(args...)); os.Exit(1) }
func (l *grpcLogs) Fatalln(args ...interface{})               { l.record(fmt.Sprint(args...)); os.Exit(1) }
func (l *grpcLogs) Fatalf(format string, args ...interface{}) {
	l.record(fmt.Sprintf(format, args...))
	os.Exit(1)
}

// V reports every verbosity as enabled, so that grpc-go's transport logs the GOAWAYs it receives.
func (l *grpcLogs) V(level int) bool { return true }
