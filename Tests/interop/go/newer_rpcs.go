// The RPCs added after v1, through goethe.proto: newer-rpcs appends a batch and reads part of it
// back with Subscribe; topics and cursor report ListTopics and GetCursor, which the tests use to
// look behind the v1 cases.
package main

import (
	"context"
	"encoding/hex"

	pb "goethe/interop/goethepb"
)

func newClient(addr string) (pb.GoetheClient, func(), error) {
	conn, err := dial(addr)
	if err != nil {
		return nil, nil, err
	}
	return pb.NewGoetheClient(conn), func() { conn.Close() }, nil
}

// newerRPCs appends three payloads in one batch, then subscribes from the beginning with limit 2.
func newerRPCs(ctx context.Context, opts options, _ []string) (observation, error) {
	client, closeConn, err := newClient(opts.addr)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	payloads := [][]byte{[]byte("alpha"), {0x00, 0x01, 0xfe, 0xff}, []byte("gamma")}
	appended, err := client.Append(ctx, &pb.AppendRequest{Topic: opts.topic, Payloads: payloads})
	if err != nil {
		return observation{"sent_payloads_hex": hexes(payloads), "append_status": statusOf(err)}, nil
	}
	result := observation{
		"sent_payloads_hex": hexes(payloads),
		"append_status":     nil,
		"append": observation{"topic": appended.GetTopic(), "first_event_id": appended.GetFirstEventId(),
			"first_sequence": appended.GetFirstSequence(), "count": appended.GetCount()},
	}
	ctx, cancel := context.WithTimeout(ctx, conversationTimeout)
	defer cancel()
	stream, err := client.Subscribe(ctx, &pb.SubscribeRequest{
		Topic: opts.topic, From: &pb.Position{Kind: &pb.Position_Beginning{Beginning: true}}, Limit: 2})
	var starts []observation
	events := []observation{}
	for err == nil {
		var response *pb.SubscribeResponse
		if response, err = stream.Recv(); err != nil {
			break
		}
		if start := response.GetStart(); start != nil {
			starts = append(starts, observation{"resolution": start.GetResolution().String(),
				"event_id": start.GetEventId(), "sequence": start.GetSequence(), "head_sequence": start.GetHeadSequence()})
		}
		for _, event := range response.GetEvents().GetEvents() {
			events = append(events, observation{"id": event.GetId(), "topic": event.GetTopic().GetId(),
				"sequence": event.GetSequence(), "time_unix_nano": event.GetTimeUnixNano(),
				"payload_hex": hex.EncodeToString(event.GetPayload())})
		}
	}
	result["starts"] = starts
	result["events"] = events
	result["subscribe_status"] = statusOf(ignoreEOF(err))
	return result, nil
}

func topics(ctx context.Context, opts options, _ []string) (observation, error) {
	client, closeConn, err := newClient(opts.addr)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	response, err := client.ListTopics(ctx, &pb.ListTopicsRequest{})
	if err != nil {
		return nil, err
	}
	names := []string{}
	for _, topic := range response.GetTopics() {
		names = append(names, topic.GetName())
	}
	return observation{"topics": names}, nil
}

func cursor(ctx context.Context, opts options, _ []string) (observation, error) {
	client, closeConn, err := newClient(opts.addr)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	info, err := client.GetCursor(ctx, &pb.GetCursorRequest{Topic: opts.topic, Consumer: opts.consumer})
	if err != nil {
		return observation{"status": statusOf(err)}, nil
	}
	return observation{"status": nil, "event_id": info.GetEventId(), "sequence": info.GetSequence()}, nil
}
