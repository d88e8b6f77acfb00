import Shared

/// The WebSocket side of an Engine.IO session: a session born on a WebSocket, and the upgrade of
/// a polling session. Upgrade exchange (engine.io protocol v4): the client opens a WebSocket with
/// the session's sid and sends `2probe`; we answer `3probe` on it and a noop `6` to the held GET
/// (so the client can pause polling); the client sends `5`, and from then on every packet,
/// including what was still queued, goes over the WebSocket. Any other packet during the probe,
/// the probe closing, or no `5` within `upgradeTimeout` abandons the upgrade; polling goes on.
extension EngineIOSession {
    /// Binds a session created on a WebSocket (`transport=websocket` without sid) to its link
    /// and sends the open packet `0{…,"upgrades":[]}` as the first frame.
    func attachWebSocket(_ link: EngineIOWebSocketLink) {
        webSocket = link
        transport = .webSocket
        bindMainWebSocket(link)
        let open = options.openPacket(sid: sid, upgrades: [])
        link.send(frame: EngineIOEncodedPacket(.open, text: open.json.text).webSocketFrame)
    }

    /// A WebSocket arrived with this session's sid: start probing it.
    func beginUpgrade(_ link: EngineIOWebSocketLink) -> Bool {
        guard !isClosed, transport == .polling, upgrade == .none else { return false }
        probe = link
        upgrade = .probing
        link.onMessage = { [weak self, weak link] message in
            guard let self, let link else { return }
            self.probeMessage(message, on: link)
        }
        link.onClose = { [weak self] _ in self?.cancelUpgrade() }
        upgradeTimer = loop.schedule(after: options.upgradeTimeout) { [weak self] in
            self?.upgradeTimer = nil
            self?.cancelUpgrade()
        }
        return true
    }

    private func probeMessage(_ message: WebSocketConnection.Message, on link: EngineIOWebSocketLink) {
        guard case .text(let text) = message, let packet = try? EngineIOPacket.decode(webSocketText: text) else {
            return cancelUpgrade()
        }
        switch (upgrade, packet.type) {
        case (.probing, .ping) where packet.text == EngineIOLimits.probe:
            upgrade = .probed
            link.send(frame: EngineIOEncodedPacket.probePong.webSocketFrame)
            if let pending = pendingGet {
                pendingGet = nil
                pending.responder.send(Self.pollingResponse([.noop], headers: pending.headers))
            }
        case (.probed, .upgrade):
            completeUpgrade(link)
        default:
            cancelUpgrade()
        }
    }

    private func completeUpgrade(_ link: EngineIOWebSocketLink) {
        upgradeTimer?.cancel()
        upgradeTimer = nil
        probe = nil
        upgrade = .none
        if let pending = pendingGet {
            pendingGet = nil
            pending.responder.send(Self.pollingResponse([.noop], headers: pending.headers))
        }
        transport = .webSocket
        webSocket = link
        bindMainWebSocket(link)
        for packet in drainOutbox() where !isClosed {
            if !link.send(frame: packet.webSocketFrame) { break }
        }
    }

    /// Drops a probe that did not complete (the probe's socket is closed; polling continues).
    func cancelUpgrade() {
        upgradeTimer?.cancel()
        upgradeTimer = nil
        upgrade = .none
        guard let link = probe else { return }
        probe = nil
        link.onMessage = nil
        link.onClose = nil
        link.close(code: WebSocketCloseCode.normal, reason: "")
    }

    private func bindMainWebSocket(_ link: EngineIOWebSocketLink) {
        link.onMessage = { [weak self] message in
            guard let self, !self.isClosed else { return }
            switch message {
            case .text(let text):
                guard let packet = try? EngineIOPacket.decode(webSocketText: text) else { return self.close(.parseError) }
                self.handle(packet)
            case .binary(let bytes):
                self.handle(EngineIOPacket.decode(webSocketBinary: bytes))
            }
        }
        link.onClose = { [weak self] code in
            self?.close(code == WebSocketCloseCode.policyViolation ? .slowConsumer : .clientClosed)
        }
    }
}
