;;; eglot-test.el --- xlic-mode and eglot against the real xlic-lsp  -*- lexical-binding: t; -*-

;; Run by editors/emacs/test.sh:
;;   emacs --batch -Q -l eglot-test.el -f xlic-eglot-test-run WORKDIR
;; WORKDIR holds deal.xlic (made by test.sh); $XLIC_LSP is the server binary.
;; Checks diagnostics, hover, definition, rename and formatting, then shuts the
;; server down as eglot does (`shutdown' and `exit' with `"params": null') and
;; checks that it exits with 0.  Exits 0 when every check passed, 1 otherwise.

;;; Code:

;; Debian's elpa-eglot (Emacs 28): its packages are not on `load-path' under -Q.
(let ((elpa "/usr/share/emacs/site-lisp/elpa"))
  (when (file-directory-p elpa)
    (dolist (d (directory-files elpa t "^[^.]"))
      (add-to-list 'load-path d))))
(require 'eglot)
(require 'flymake)
(load (expand-file-name "../xlic-mode.el" (file-name-directory load-file-name)) nil t)

(defvar xlic-test--passed 0)
(defvar xlic-test--failed 0)

(defun xlic-test--check (name ok &optional detail)
  "Record check NAME as passed when OK, printing DETAIL when it failed."
  (if ok
      (progn (setq xlic-test--passed (1+ xlic-test--passed))
             (princ (format "ok   %s\n" name)))
    (setq xlic-test--failed (1+ xlic-test--failed))
    (princ (format "FAIL %s%s\n" name (if detail (format ": %s" detail) "")))))

(defun xlic-test--wait (pred &optional seconds)
  "Wait until PRED is true, at most SECONDS (10); return its value."
  (let ((deadline (+ (float-time) (or seconds 10)))
        value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun xlic-test--goto (needle &optional shift)
  "Move point to the first NEEDLE, SHIFT characters into it."
  (goto-char (point-min))
  (search-forward needle)
  (goto-char (+ (match-beginning 0) (or shift 0))))

(defun xlic-test--count (word)
  "How many times WORD occurs as a whole symbol."
  (save-excursion
    (goto-char (point-min))
    (let ((n 0))
      (while (re-search-forward (concat "\\_<" (regexp-quote word) "\\_>") nil t)
        (setq n (1+ n)))
      n)))

(defun xlic-eglot-test-run ()
  "Run every check on the file named on the command line."
  (let* ((workdir (file-name-as-directory (car command-line-args-left)))
         (file (expand-file-name "deal.xlic" workdir))
         (xlic-server-command (list (getenv "XLIC_LSP")))
         (eglot-sync-connect 10)
         (eglot-autoreconnect nil)
         (inhibit-message t))
    (setq command-line-args-left nil)
    (find-file file)
    (xlic-test--check "xlic-mode for *.xlic" (eq major-mode 'xlic-mode) major-mode)
    ;; What `M-x eglot' does (`eglot-ensure' waits for a command loop batch mode lacks).
    (apply #'eglot (eglot--guess-contact))
    (let ((server (xlic-test--wait (lambda () (eglot-current-server)))))
      (xlic-test--check "eglot connects to xlic-lsp" server)
      (when server
        ;; Diagnostics: the misspelt party `globexx' is E0101 (eglot hands them to flymake).
        (flymake-mode 1)
        (flymake-start)
        (let ((diags (xlic-test--wait
                      (lambda ()
                        (flymake-start)
                        (flymake-diagnostics)))))
          (xlic-test--check
           "diagnostics: E0101 for `globexx'"
           (seq-some (lambda (d) (string-match-p "globexx" (flymake-diagnostic-text d))) diags)
           (mapcar #'flymake-diagnostic-text diags)))
        ;; Hover on an asset name.
        (xlic-test--goto "assets acme_motion" 8)
        (let* ((hover (jsonrpc-request server :textDocument/hover
                                       (eglot--TextDocumentPositionParams)))
               (contents (plist-get hover :contents))
               (text (or (plist-get contents :value) "")))
          (xlic-test--check "hover on `acme_motion' describes the asset"
                            (string-match-p "patent family" text) text))
        ;; Definition of `acme' in a grant: its declaration.
        (xlic-test--goto "acme -> globexx" 1)
        (let* ((def (jsonrpc-request server :textDocument/definition
                                     (eglot--TextDocumentPositionParams)))
               (loc (if (vectorp def) (aref def 0) def))
               (start (plist-get (plist-get loc :range) :start))
               (want (save-excursion (xlic-test--goto "party acme" 6)
                                     (list (1- (line-number-at-pos)) (current-column)))))
          (xlic-test--check "definition of `acme' is its declaration"
                            (equal (list (plist-get start :line) (plist-get start :character)) want)
                            (format "%S, want %S" start want)))
        ;; Rename `acme_motion' everywhere, as `M-x eglot-rename' does.
        (let ((before (xlic-test--count "acme_motion")))
          (xlic-test--goto "asset acme_motion" 6)
          (eglot-rename "acme_motion_v2")
          (xlic-test--check "rename `acme_motion' edits every use"
                            (and (> before 1)
                                 (= (xlic-test--count "acme_motion_v2") before)
                                 (= (xlic-test--count "acme_motion") 0))
                            (format "before %d, after %d" before
                                    (xlic-test--count "acme_motion_v2"))))
        ;; Formatting: the badly spaced party line is re-printed.
        (eglot-format-buffer)
        (xlic-test--check "formatting re-prints `party   zed'"
                          (save-excursion (goto-char (point-min))
                                          (search-forward "party zed \"Zed\"" nil t)))
        ;; Shutdown: the messages `eglot-shutdown' sends (`shutdown' and `exit', both
        ;; with `"params": null'), but then waiting for the server to end by itself:
        ;; Emacs 28's jsonrpc kills the process right after `exit' without waiting.
        (let* ((process (jsonrpc--process server))
               (refused (condition-case err
                            (progn
                              (setf (eglot--shutdown-requested server) t)
                              (jsonrpc-request server :shutdown nil :timeout 10)
                              (jsonrpc-notify server :exit nil)
                              nil)
                          (error err))))
          (xlic-test--check "shutdown is answered without error" (not refused) refused)
          (xlic-test--wait (lambda () (not (process-live-p process))))
          (xlic-test--check "the server exits with 0 after shutdown"
                            (and (not (process-live-p process))
                                 (eq (process-status process) 'exit)
                                 (= (process-exit-status process) 0))
                            (format "%s %s" (process-status process)
                                    (process-exit-status process))))))
    (set-buffer-modified-p nil)
    (princ (format "emacs: %d passed, %d failed\n" xlic-test--passed xlic-test--failed))
    (kill-emacs (if (= xlic-test--failed 0) 0 1))))

;;; eglot-test.el ends here
