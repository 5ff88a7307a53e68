// deadline NAME: a call that waits for events that never come, under a 300 ms deadline. The
// client must see DEADLINE_EXCEEDED when it passes, however the server's waiting is built.
//
//	subscribe-follow  Subscribe with follow on a topic created empty
//	consume-follow    a v1 Consume at the end of its topic, on a daemon run with --v1-consume-follow
package main

import (
	"context"
	"fmt"
	"io"
	"time"

	pb "goethe/interop/goethepb"
	v1pb "goethe/interop/v1pb"
)

const callDeadline = 300 * time.Millisecond

func deadline(ctx context.Context, opts options, args []string) (observation, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("deadline takes one case name")
	}
	switch args[0] {
	case "subscribe-follow":
		return subscribeFollowDeadline(ctx, opts)
	case "consume-follow":
		return consumeFollowDeadline(ctx, opts)
	}
	return nil, fmt.Errorf("unknown deadline case %q", args[0])
}

func subscribeFollowDeadline(ctx context.Context, opts options) (observation, error) {
	client, closeConn, err := newClient(opts.addr)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	if _, err := client.CreateTopic(ctx, &pb.CreateTopicRequest{Topic: opts.topic}); err != nil {
		return nil, fmt.Errorf("creating %s: %w", opts.topic, err)
	}
	started := time.Now()
	callCtx, cancel := context.WithTimeout(ctx, callDeadline)
	defer cancel()
	events := 0
	stream, err := client.Subscribe(callCtx, &pb.SubscribeRequest{
		Topic: opts.topic, From: &pb.Position{Kind: &pb.Position_Beginning{Beginning: true}}, Follow: true})
	for err == nil {
		var response *pb.SubscribeResponse
		if response, err = stream.Recv(); err == nil {
			events += len(response.GetEvents().GetEvents())
		}
	}
	return observation{"status": statusOf(ignoreEOF(err)), "elapsed_seconds": time.Since(started).Seconds(),
		"events": events, "deadline_seconds": callDeadline.Seconds()}, nil
}

func consumeFollowDeadline(ctx context.Context, opts options) (observation, error) {
	conn, err := dial(opts.addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := v1pb.NewGoetheClient(conn)
	produced, err := produceEvents(ctx, client, opts.topic, 1)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	callCtx, cancel := context.WithTimeout(ctx, callDeadline)
	defer cancel()
	delivered := []string{}
	stream, err := openConsume(callCtx, client, startCursor(opts.topic, opts.consumer, ""))
	for err == nil {
		var cursor *v1pb.Cursor
		if cursor, err = stream.Recv(); err == nil {
			delivered = append(delivered, cursor.GetCurrentEvent().GetId())
			if err = stream.Send(cursor); err != nil {
				err = receiveError(stream)
			}
		}
	}
	return observation{"produced": produced, "delivered": delivered, "status": statusOf(err),
		"elapsed_seconds": time.Since(started).Seconds(), "deadline_seconds": callDeadline.Seconds()}, nil
}

// ignoreEOF: a server stream that ended with OK.
func ignoreEOF(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}
