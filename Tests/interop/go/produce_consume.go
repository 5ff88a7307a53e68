// produce-consume: count sequential unary Produce calls on one connection while a v1 Consume
// stream on a second connection reads every event, acknowledging each. This is the load of a v1
// producer and consumer pair; grpc-go sends a BDP PING after most responses, which a server must
// answer without GOAWAY or refusing calls.
package main

import (
	"context"
	"fmt"
	"time"

	v1pb "goethe/interop/v1pb"
)

// One Produce that takes this long has failed; the load goes no further.
const callTimeout = 10 * time.Second

func produceConsume(ctx context.Context, opts options, _ []string) (observation, error) {
	producerConn, err := dial(opts.addr)
	if err != nil {
		return nil, err
	}
	defer producerConn.Close()
	consumerConn, err := dial(opts.addr)
	if err != nil {
		return nil, err
	}
	defer consumerConn.Close()
	producerWatch := watchConnection(producerConn)
	consumerWatch := watchConnection(consumerConn)
	producer := v1pb.NewGoetheClient(producerConn)
	consumer := v1pb.NewGoetheClient(consumerConn)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	produced := make([]string, 0, opts.count)
	var consumed []string
	var produceErr, consumeErr error
	consumeDone := make(chan struct{})

	start := time.Now()
	for i := 0; i < opts.count; i++ {
		callCtx, callDone := context.WithTimeout(ctx, callTimeout)
		event, err := producer.Produce(callCtx, &v1pb.Event{
			Topic: &v1pb.Topic{Id: opts.topic}, Payload: []byte(fmt.Sprintf("event %d", i))})
		callDone()
		if err != nil {
			produceErr = err
			break
		}
		produced = append(produced, event.Id)
		if i == 0 {
			// The topic exists once its first event does; Consume refuses unknown topics.
			go func() {
				defer close(consumeDone)
				consumed, consumeErr = consumeAll(ctx, consumer, opts.topic, opts.consumer, opts.count)
			}()
		}
	}
	produceElapsed := time.Since(start)
	if len(produced) == 0 {
		close(consumeDone)
	} else if produceErr != nil {
		cancel() // the consumer would wait for events that will not come
	}
	<-consumeDone
	elapsed := time.Since(start)

	return observation{
		"count":                       opts.count,
		"seconds":                     elapsed.Seconds(),
		"produce_seconds":             produceElapsed.Seconds(),
		"produced":                    produced,
		"consumed":                    consumed,
		"produce_status":              statusOf(produceErr),
		"consume_status":              statusOf(consumeErr),
		"producer_states_after_ready": producerWatch.statesAfterReady(),
		"consumer_states_after_ready": consumerWatch.statesAfterReady(),
	}, nil
}

// consumeAll reads count events on one v1 Consume stream from the consumer's start, sending each
// received cursor back (as v1 clients do) to commit it and ask for the next event.
func consumeAll(ctx context.Context, client v1pb.GoetheClient, topic, consumer string, count int) ([]string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Consume(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, count)
	if err := stream.Send(&v1pb.Cursor{Topic: &v1pb.Topic{Id: topic}, Consumer: consumer}); err != nil {
		return ids, receiveError(stream)
	}
	for len(ids) < count {
		cursor, err := stream.Recv()
		if err != nil {
			return ids, err
		}
		ids = append(ids, cursor.GetCurrentEvent().GetId())
		if len(ids) < count {
			if err := stream.Send(cursor); err != nil {
				return ids, receiveError(stream)
			}
		}
	}
	stream.CloseSend()
	return ids, nil
}

// receiveError turns a failed Send (io.EOF once the server ended the call) into the call's status.
func receiveError(stream v1pb.Goethe_ConsumeClient) error {
	for {
		if _, err := stream.Recv(); err != nil {
			return err
		}
	}
}
