// The cancellations scenario: a client that cancels many calls keeps its connection. One
// following Subscribe stays open while -count others are each opened, seen to start and
// cancelled (an RST_STREAM each) on the same connection; then one event is appended, which the
// first subscriber must still receive.
package main

import (
	"context"
	"time"

	pb "goethe/interop/goethepb"
)

// How long the subscription that stays open may wait for the event appended at the end.
const cancellationsTimeout = 45 * time.Second

func cancellations(ctx context.Context, opts options, _ []string) (observation, error) {
	client, closeConn, err := newClient(opts.addr)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	if _, err := client.CreateTopic(ctx, &pb.CreateTopicRequest{Topic: opts.topic}); err != nil {
		return nil, err
	}
	request := &pb.SubscribeRequest{Topic: opts.topic, Follow: true}
	longCtx, stopLong := context.WithTimeout(ctx, cancellationsTimeout)
	defer stopLong()
	long, err := client.Subscribe(longCtx, request)
	if err == nil {
		_, err = long.Recv() // its start
	}
	if err != nil {
		return nil, err
	}
	for i := 0; i < opts.count; i++ {
		callCtx, cancelCall := context.WithCancel(ctx)
		stream, err := client.Subscribe(callCtx, request)
		if err == nil {
			_, err = stream.Recv()
		}
		cancelCall()
		if err != nil {
			return nil, err
		}
	}
	_, appendErr := client.Append(ctx, &pb.AppendRequest{Topic: opts.topic, Payloads: [][]byte{[]byte("after")}})
	delivered := 0
	for err == nil && delivered == 0 {
		var response *pb.SubscribeResponse
		if response, err = long.Recv(); err == nil {
			delivered += len(response.GetEvents().GetEvents())
		}
	}
	return observation{"cancelled": opts.count, "append_status": statusOf(appendErr), "delivered": delivered,
		"subscribe_status": statusOf(ignoreEOF(err))}, nil
}
