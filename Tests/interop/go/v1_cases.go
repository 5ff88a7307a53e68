// v1-case NAME: one step of the contract Goethe v1 clients rely on, through the v1 proto alone.
// Each case makes the events it needs in its own topic, then reports ids, first deliveries and
// statuses; test_interop.py compares them with the v1 semantics.
package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	v1pb "goethe/interop/v1pb"
)

// A Consume conversation that has to end sooner than the whole scenario does.
const conversationTimeout = 10 * time.Second

// How long a follow-mode stream must stay silent at the end of its topic before the next event
// is produced.
const quietPeriod = 300 * time.Millisecond

var v1Cases = map[string]func(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error){
	"produce-returns-event":       produceReturnsEvent,
	"produce-empty-topic":         produceEmptyTopic,
	"produce-empty-payload":       produceEmptyPayload,
	"consume-without-consumer":    consumeWithoutConsumer,
	"consume-without-topic":       consumeWithoutTopic,
	"consume-from-id":             consumeFromID,
	"consume-from-unknown-id":     consumeFromUnknownID,
	"consume-from-beginning":      consumeFromBeginning,
	"consume-from-stored-cursor":  consumeFromStoredCursor,
	"consume-commits-each-cursor": consumeCommitsEachCursor,
	"consume-end-of-topic":        consumeEndOfTopic,
	"consume-unknown-topic":       consumeUnknownTopic,
	"consume-follow":              consumeFollow,
}

func v1Case(ctx context.Context, opts options, args []string) (observation, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("v1-case takes one case name")
	}
	run, ok := v1Cases[args[0]]
	if !ok {
		return nil, fmt.Errorf("unknown v1 case %q", args[0])
	}
	conn, err := dial(opts.addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return run(ctx, v1pb.NewGoetheClient(conn), opts)
}

func produceReturnsEvent(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	payloads := [][]byte{[]byte("first"), {0x00, 0xff, 0x10, 'b', 'i', 'n'}}
	before := time.Now().UnixNano()
	var events []map[string]string
	for _, payload := range payloads {
		event, err := client.Produce(ctx, &v1pb.Event{Topic: &v1pb.Topic{Id: opts.topic}, Payload: payload})
		if err != nil {
			return nil, err
		}
		events = append(events, map[string]string{
			"id": event.GetId(), "topic": event.GetTopic().GetId(), "payload_hex": hex.EncodeToString(event.GetPayload())})
	}
	after := time.Now().UnixNano()
	return observation{"sent_payloads_hex": hexes(payloads), "events": events, "before_ns": before, "after_ns": after}, nil
}

func produceEmptyTopic(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	_, emptyID := client.Produce(ctx, &v1pb.Event{Topic: &v1pb.Topic{Id: ""}, Payload: []byte("x")})
	_, noTopic := client.Produce(ctx, &v1pb.Event{Payload: []byte("x")})
	return observation{"empty_topic_id": statusOf(emptyID), "no_topic": statusOf(noTopic)}, nil
}

func produceEmptyPayload(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	_, err := client.Produce(ctx, &v1pb.Event{Topic: &v1pb.Topic{Id: opts.topic}})
	return observation{"status": statusOf(err)}, nil
}

func consumeWithoutConsumer(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	if _, err := produceEvents(ctx, client, opts.topic, 1); err != nil {
		return nil, err
	}
	return observation{"first": firstDelivery(ctx, client, opts.topic, "", "")}, nil
}

func consumeWithoutTopic(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	emptyID := firstDeliveryOf(ctx, client, &v1pb.Cursor{Topic: &v1pb.Topic{Id: ""}, Consumer: opts.consumer})
	noTopic := firstDeliveryOf(ctx, client, &v1pb.Cursor{Consumer: opts.consumer})
	return observation{"empty_topic_id": emptyID, "no_topic": noTopic}, nil
}

func consumeFromID(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 3)
	if err != nil {
		return nil, err
	}
	return observation{"produced": produced, "first": firstDelivery(ctx, client, opts.topic, opts.consumer, produced[1])}, nil
}

func consumeFromUnknownID(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 3)
	if err != nil {
		return nil, err
	}
	first, _ := strconv.ParseUint(produced[0], 10, 64)
	second, _ := strconv.ParseUint(produced[1], 10, 64)
	if second-first < 2 {
		return nil, fmt.Errorf("no unused id between %s and %s", produced[0], produced[1])
	}
	between := strconv.FormatUint(first+(second-first)/2, 10)
	return observation{"produced": produced, "start_id": between,
		"first": firstDelivery(ctx, client, opts.topic, opts.consumer, between)}, nil
}

func consumeFromBeginning(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 2)
	if err != nil {
		return nil, err
	}
	return observation{"produced": produced, "first": firstDelivery(ctx, client, opts.topic, opts.consumer, "")}, nil
}

// consumeFromStoredCursor acknowledges two events, then opens a new stream without an id.
func consumeFromStoredCursor(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 3)
	if err != nil {
		return nil, err
	}
	delivered, status := acknowledge(ctx, client, opts.topic, opts.consumer, 2)
	return observation{"produced": produced, "first_stream": delivered, "first_stream_status": statusOf(status),
		"resumed": firstDelivery(ctx, client, opts.topic, opts.consumer, "")}, nil
}

// consumeCommitsEachCursor: a stream that acknowledges one event, then one that acknowledges two
// (the first being the event redelivered at the stored cursor), then where a third one starts.
func consumeCommitsEachCursor(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 3)
	if err != nil {
		return nil, err
	}
	var streams []interface{}
	for _, acks := range []int{1, 2} {
		delivered, status := acknowledge(ctx, client, opts.topic, opts.consumer, acks)
		streams = append(streams, observation{"delivered": delivered, "status": statusOf(status)})
	}
	return observation{"produced": produced, "streams": streams,
		"resumed": firstDelivery(ctx, client, opts.topic, opts.consumer, "")}, nil
}

func consumeEndOfTopic(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 2)
	if err != nil {
		return nil, err
	}
	delivered, status := acknowledge(ctx, client, opts.topic, opts.consumer, 10)
	return observation{"produced": produced, "delivered": delivered, "status": statusOf(status)}, nil
}

func consumeUnknownTopic(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	return observation{"first": firstDelivery(ctx, client, opts.topic, opts.consumer, "")}, nil
}

// consumeFollow reads to the end of the topic, checks that the stream stays open and silent, then
// produces one more event on another connection and waits for it.
func consumeFollow(ctx context.Context, client v1pb.GoetheClient, opts options) (observation, error) {
	produced, err := produceEvents(ctx, client, opts.topic, 1)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, conversationTimeout)
	defer cancel()
	stream, err := openConsume(ctx, client, &v1pb.Cursor{Topic: &v1pb.Topic{Id: opts.topic}, Consumer: opts.consumer})
	if err != nil {
		return observation{"produced": produced, "status": statusOf(err)}, nil
	}
	defer stream.CloseSend()
	first, err := stream.Recv()
	if err != nil {
		return observation{"produced": produced, "status": statusOf(err)}, nil
	}
	delivered := []string{first.GetCurrentEvent().GetId()}
	if err := stream.Send(first); err != nil {
		return observation{"produced": produced, "delivered": delivered, "status": statusOf(receiveError(stream))}, nil
	}
	type received struct {
		cursor *v1pb.Cursor
		err    error
	}
	next := make(chan received, 1)
	go func() {
		cursor, err := stream.Recv()
		next <- received{cursor, err}
	}()
	quiet := true
	var outcome received
	select {
	case outcome = <-next:
		quiet = false
	case <-time.After(quietPeriod):
		other, err := dial(opts.addr)
		if err != nil {
			return nil, err
		}
		defer other.Close()
		later, err := produceEvents(ctx, v1pb.NewGoetheClient(other), opts.topic, 1)
		if err != nil {
			return nil, err
		}
		produced = append(produced, later...)
		outcome = <-next
	}
	if outcome.err == nil {
		delivered = append(delivered, outcome.cursor.GetCurrentEvent().GetId())
	}
	return observation{"produced": produced, "delivered": delivered, "quiet_at_end": quiet,
		"status": statusOf(outcome.err)}, nil
}

// ---- conversation helpers ----

func produceEvents(ctx context.Context, client v1pb.GoetheClient, topic string, count int) ([]string, error) {
	var ids []string
	for i := 0; i < count; i++ {
		event, err := client.Produce(ctx, &v1pb.Event{
			Topic: &v1pb.Topic{Id: topic}, Payload: []byte(fmt.Sprintf("event %d", i+1))})
		if err != nil {
			return nil, fmt.Errorf("producing to %s: %w", topic, err)
		}
		ids = append(ids, event.GetId())
	}
	return ids, nil
}

func openConsume(ctx context.Context, client v1pb.GoetheClient, first *v1pb.Cursor) (v1pb.Goethe_ConsumeClient, error) {
	stream, err := client.Consume(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(first); err != nil {
		return nil, receiveError(stream)
	}
	return stream, nil
}

func startCursor(topic, consumer, startID string) *v1pb.Cursor {
	cursor := &v1pb.Cursor{Topic: &v1pb.Topic{Id: topic}, Consumer: consumer}
	if startID != "" {
		cursor.CurrentEvent = &v1pb.Event{Id: startID, Topic: &v1pb.Topic{Id: topic}}
	}
	return cursor
}

// firstDelivery opens a stream and reports the first event it delivers, or the status it ends with.
func firstDelivery(ctx context.Context, client v1pb.GoetheClient, topic, consumer, startID string) observation {
	return firstDeliveryOf(ctx, client, startCursor(topic, consumer, startID))
}

func firstDeliveryOf(ctx context.Context, client v1pb.GoetheClient, first *v1pb.Cursor) observation {
	ctx, cancel := context.WithTimeout(ctx, conversationTimeout)
	defer cancel()
	stream, err := openConsume(ctx, client, first)
	if err != nil {
		return observation{"delivered": nil, "status": statusOf(err)}
	}
	defer stream.CloseSend()
	cursor, err := stream.Recv()
	if err != nil {
		return observation{"delivered": nil, "status": statusOf(err)}
	}
	return observation{"delivered": cursor.GetCurrentEvent().GetId(), "status": nil}
}

// acknowledge opens a stream without a start id and sends back up to acks delivered cursors,
// waiting for the event that follows each; it returns the ids delivered and the stream's error,
// if it ended.
func acknowledge(ctx context.Context, client v1pb.GoetheClient, topic, consumer string, acks int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, conversationTimeout)
	defer cancel()
	delivered := []string{}
	stream, err := openConsume(ctx, client, startCursor(topic, consumer, ""))
	if err != nil {
		return delivered, err
	}
	defer stream.CloseSend()
	for i := 0; ; i++ {
		cursor, err := stream.Recv()
		if err != nil {
			return delivered, err
		}
		delivered = append(delivered, cursor.GetCurrentEvent().GetId())
		if i == acks {
			return delivered, nil
		}
		if err := stream.Send(cursor); err != nil {
			return delivered, receiveError(stream)
		}
	}
}

func hexes(payloads [][]byte) []string {
	var out []string
	for _, payload := range payloads {
		out = append(out, hex.EncodeToString(payload))
	}
	return out
}
