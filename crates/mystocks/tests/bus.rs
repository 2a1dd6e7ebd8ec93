//! The event bus on both backends: live delivery, replay by id, the bound on replay,
//! cross-instance delivery through real Redis, and resubscription after Redis restarts.

mod common;

use std::time::Duration;

use common::{link, RedisServer};
use mystocks::bus::channels::Channel;
use mystocks::bus::events::{Event, EventBody, PriceUpdate};
use mystocks::bus::local::LocalBus;
use mystocks::bus::redis::RedisBus;
use mystocks::bus::{Bus, REPLAY_LIMIT};

fn price(i: usize) -> Event {
    Event::now(EventBody::PriceUpdate(PriceUpdate {
        symbol: "000001".into(),
        price: 10.0 + i as f64,
        volume: 100.0,
        ts: "2026-01-10T09:00:30Z".into(),
    }))
}

fn price_of(e: &Event) -> f64 {
    match &e.body {
        EventBody::PriceUpdate(p) => p.price,
        other => panic!("unexpected {other:?}"),
    }
}

async fn next(
    rx: &mut tokio::sync::broadcast::Receiver<mystocks::bus::Delivered>,
    stage: &str,
) -> mystocks::bus::Delivered {
    match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
        Ok(Ok(d)) => d,
        other => panic!("{stage}: no event ({other:?})"),
    }
}

#[tokio::test]
async fn local_bus_delivers_replays_and_bounds() {
    let bus = LocalBus::new();
    let market = Channel::parse("events:market").unwrap();
    let one = Channel::parse("events:market:000001").unwrap();
    let mut rx = bus.subscribe();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(bus.publish(if i == 1 { &one } else { &market }, &price(i)).await.unwrap());
    }
    for (i, id) in ids.iter().enumerate() {
        let d = next(&mut rx, "local live").await;
        assert_eq!(&d.event_id, id);
        assert_eq!(price_of(&d.event), 10.0 + i as f64);
    }
    let replayed = bus.replay(&market, &ids[0]).await.unwrap();
    assert_eq!(replayed.iter().map(|d| d.event_id.clone()).collect::<Vec<_>>(), vec![ids[2].clone()]);
    assert_eq!(bus.replay(&market, "0-0").await.unwrap().len(), 2);
    for i in 0..REPLAY_LIMIT + 5 {
        bus.publish(&one, &price(i)).await.unwrap();
    }
    assert_eq!(bus.replay(&one, "0-0").await.unwrap().len(), REPLAY_LIMIT, "replay keeps the last 10,000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_bus_crosses_instances_replays_and_survives_a_restart() {
    let mut redis = RedisServer::start();
    let a = RedisBus::new(link(&redis.url()), "mystocks:");
    let b = RedisBus::new(link(&redis.url()), "mystocks:");
    b.wait_subscribed(1).await;
    let channel = Channel::parse("events:market:000001").unwrap();
    let mut rx = b.subscribe();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(a.publish(&channel, &price(i)).await.unwrap());
    }
    for (i, id) in ids.iter().enumerate() {
        let d = next(&mut rx, "cross-instance").await;
        assert_eq!((&d.channel, &d.event_id, price_of(&d.event)), (&channel, id, 10.0 + i as f64));
    }
    let len: usize = redis::cmd("XLEN").arg("mystocks:events:market:000001").query(&mut redis.conn()).unwrap();
    assert_eq!(len, 5, "each event is also in the channel's stream");
    let replayed = b.replay(&channel, &ids[1]).await.unwrap();
    assert_eq!(replayed.iter().map(|d| d.event_id.clone()).collect::<Vec<_>>(), ids[2..].to_vec());

    // Redis dies: publishing still delivers on this instance.
    redis.kill();
    let mut own = a.subscribe();
    a.publish(&channel, &price(99)).await.unwrap();
    assert_eq!(price_of(&next(&mut own, "local fallback while down").await.event), 109.0);

    // Redis returns: the subscription comes back by itself and events flow again.
    redis.restart();
    tokio::time::timeout(Duration::from_secs(10), b.wait_subscribed(2)).await.expect("resubscribed");
    // The publisher's own link reconnects on its next calls; until then its events stay
    // local. Events must resume across instances within a bounded number of publishes.
    let mut rx = b.subscribe();
    let mut crossed = false;
    for _ in 0..50 {
        a.publish(&channel, &price(7)).await.unwrap();
        if let Ok(Ok(d)) = tokio::time::timeout(Duration::from_millis(200), rx.recv()).await {
            assert_eq!(price_of(&d.event), 17.0);
            crossed = true;
            break;
        }
    }
    assert!(crossed, "events resumed across instances after Redis came back");
    a.publish(&channel, &price(8)).await.unwrap();
    let d = next(&mut rx, "after resumption").await;
    assert_eq!(price_of(&d.event), 18.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_many_at_once_keeps_order_ids_and_streams_on_both_backends() {
    let mut redis = RedisServer::start();
    let a = RedisBus::new(link(&redis.url()), "mystocks:");
    let b = RedisBus::new(link(&redis.url()), "mystocks:");
    b.wait_subscribed(1).await;
    let local = LocalBus::new();
    let (market, one) = (Channel::parse("events:market").unwrap(), Channel::parse("events:market:000001").unwrap());
    let events: Vec<(Channel, Event)> =
        (0..300).map(|i| (if i % 3 == 0 { one.clone() } else { market.clone() }, price(i))).collect();
    for (name, publisher, listener) in [("redis", &a as &dyn Bus, &b as &dyn Bus), ("local", &local, &local)] {
        let mut rx = listener.subscribe();
        let ids: Vec<String> = publisher.publish_all(&events).await.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(ids.len(), 300, "{name}");
        for (i, (channel, _)) in events.iter().enumerate() {
            let d = next(&mut rx, name).await;
            assert_eq!((&d.channel, &d.event_id, price_of(&d.event)), (channel, &ids[i], 10.0 + i as f64), "{name}");
        }
        let replayed = listener.replay(&one, "0-0").await.unwrap();
        assert_eq!(replayed.len(), 100, "{name}: each event also in its channel's stream");
    }
    // Redis down: still delivered on this instance, in order.
    redis.kill();
    let mut own = a.subscribe();
    let results = a.publish_all(&events[..3]).await;
    assert!(results.iter().all(|r| r.is_ok()));
    for i in 0..3 {
        assert_eq!(price_of(&next(&mut own, "local fallback").await.event), 10.0 + i as f64);
    }
}
