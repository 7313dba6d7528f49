package kernel

import "github.com/goawait/goawait/language"

// handleKernelInfo answers kernel_info_request (on shell and on control).
func (k *Kernel) handleKernelInfo(r *request) error {
	li := k.interp.Info()
	helpLinks := li.HelpLinks
	if helpLinks == nil {
		helpLinks = []language.HelpLink{}
	}
	language := map[string]any{
		"name":            li.Name,
		"version":         li.Version,
		"mimetype":        li.Mimetype,
		"file_extension":  li.FileExtension,
		"pygments_lexer":  li.PygmentsLexer,
		"codemirror_mode": li.CodemirrorMode,
	}
	if li.NbconvertExporter != "" {
		language["nbconvert_exporter"] = li.NbconvertExporter
	}
	r.reply("kernel_info_reply", map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         k.cfg.Implementation,
		"implementation_version": k.cfg.ImplementationVersion,
		"language_info":          language,
		"banner":                 li.Banner,
		"help_links":             helpLinks,
		"debugger":               false,
		"supported_features":     []string{},
	})
	return nil
}

// handleCommInfo answers comm_info_request: this kernel has no comms.
func (k *Kernel) handleCommInfo(r *request) error {
	r.reply("comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	return nil
}

// handleCommOpen refuses a comm: no target is registered, so the comm is
// closed at once, as the protocol asks.
func (k *Kernel) handleCommOpen(r *request) error {
	var c struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if err := r.decode(&c); err != nil {
		return err
	}
	k.log.Info("comm_open for unknown target", "target_name", c.TargetName)
	k.publish(r.msg.RawHeader, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	return nil
}

// handleCommIgnored drops comm_msg and comm_close: no comm is ever open.
func (k *Kernel) handleCommIgnored(r *request) error {
	k.log.Debug("ignoring comm message", "msg_type", r.msg.Header.MsgType)
	return nil
}

// handleUsage answers usage_request, which jupyter-resource-usage sends on
// control to show the kernel's CPU and memory: the process's and the
// host's, as package usage measures them.
func (k *Kernel) handleUsage(r *request) error {
	r.reply("usage_reply", k.usage.Sample())
	return nil
}

// handleShutdown answers shutdown_request (control or shell) and stops
// the kernel.
func (k *Kernel) handleShutdown(r *request) error {
	var c struct {
		Restart bool `json:"restart"`
	}
	if err := r.decode(&c); err != nil {
		return err
	}
	content := map[string]any{"status": "ok", "restart": c.Restart}
	r.reply("shutdown_reply", content)
	k.publish(r.msg.RawHeader, "shutdown_reply", content)
	k.log.Info("shutdown requested", "restart", c.Restart)
	k.stop(c.Restart)
	return nil
}

// handleInterrupt answers interrupt_request.
func (k *Kernel) handleInterrupt(r *request) error {
	k.interrupt()
	r.reply("interrupt_reply", map[string]any{"status": "ok"})
	return nil
}
