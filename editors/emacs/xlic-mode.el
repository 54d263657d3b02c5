;;; xlic-mode.el --- Major mode for xlic cross-license agreements  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages

;;; Commentary:

;; `xlic-mode' for `*.xlic' files: comments (`//' and `/* */'), strings, keyword
;; highlighting and 2-space indentation by braces.  With eglot (built into Emacs 29;
;; Debian's `elpa-eglot' for Emacs 28) it registers the language server `xlic-lsp',
;; which brings diagnostics, hover, completion, definition, references, rename and
;; formatting.  See editors/emacs/README.md.

;;; Code:

(defgroup xlic nil
  "Support for xlic cross-license agreements."
  :group 'languages)

(defcustom xlic-server-command '("xlic-lsp")
  "The language server command and its arguments."
  :type '(repeat string))

(defcustom xlic-indent-offset 2
  "Indentation of one level of braces."
  :type 'integer)

(defconst xlic--keywords
  '("affiliate" "affiliates" "after" "agreement" "all" "and" "asset" "assets" "at"
    "automatically" "back" "background" "base" "before" "breach" "by" "cap" "collaboration"
    "consent" "covenant" "covers" "cross-license" "cure" "customers" "data" "diligence" "distribute" "down"
    "effective" "every" "except" "exclusive" "expires" "expiry" "family" "field"
    "fields" "filed" "floor" "for" "foreground" "forward" "free" "from" "governing"
    "grant" "have" "import" "improvements" "improver" "in" "insolvency" "joint"
    "kind" "know-how" "law" "lease" "license" "lump" "made" "make" "members"
    "milestone" "missed" "modify" "most" "mutual" "net" "non-commercial" "non-exclusive" "non-transferable"
    "none" "not" "note" "notice" "of" "offer" "on" "owner" "parties" "party"
    "patent" "patents" "pending" "per" "perpetual" "personal" "pool" "purpose" "release" "renegotiate" "renew"
    "reproduce" "required" "reserve" "rights" "royalty" "royalty-free" "sales"
    "secret" "sell" "short" "software" "sole" "subject" "sublicense" "sum" "sunset"
    "survives" "term" "terminate" "territory" "tiered" "times" "to" "trade"
    "transferable" "unit" "until" "use" "wind" "with" "worldwide")
  "The reserved words of the language (src/syntax/token.rs).")

(defvar xlic-mode-syntax-table
  (let ((st (make-syntax-table)))
    (modify-syntax-entry ?/ ". 124b" st)
    (modify-syntax-entry ?* ". 23" st)
    (modify-syntax-entry ?\n "> b" st)
    (modify-syntax-entry ?_ "_" st)
    (modify-syntax-entry ?- "_" st)
    (modify-syntax-entry ?\" "\"" st)
    st)
  "Syntax table of `xlic-mode'.")

(defvar xlic-font-lock-keywords
  `((,(concat "\\_<" (regexp-opt xlic--keywords t) "\\_>") . font-lock-keyword-face)
    ("\\_<\\(?:party\\|asset\\|grant\\|territory\\|affiliate\\)\\_>[ \t]+\\([A-Za-z_][A-Za-z0-9_]*\\)"
     1 font-lock-function-name-face)
    ("\\_<[0-9]\\{4\\}-[0-9]\\{2\\}-[0-9]\\{2\\}\\_>" . font-lock-constant-face)
    ("\\_<[A-Z]\\{2\\}\\_>" . font-lock-constant-face))
  "Highlighting of `xlic-mode' without the language server.")

(defun xlic-indent-line ()
  "Indent the current line by the depth of braces and brackets around it."
  (interactive)
  (let* ((depth (save-excursion (car (syntax-ppss (line-beginning-position)))))
         (closing (save-excursion (back-to-indentation) (looking-at-p "[]}]")))
         (column (* xlic-indent-offset (max 0 (if closing (1- depth) depth)))))
    (if (<= (current-column) (current-indentation))
        (indent-line-to column)
      (save-excursion (indent-line-to column)))))

;;;###autoload
(define-derived-mode xlic-mode prog-mode "xlic"
  "Major mode for xlic cross-license agreements."
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "//+\\s-*")
  (setq-local indent-line-function #'xlic-indent-line)
  (setq-local font-lock-defaults '(xlic-font-lock-keywords)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.xlic\\'" . xlic-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `(xlic-mode . ,(lambda (&rest _) xlic-server-command))))

(provide 'xlic-mode)
;;; xlic-mode.el ends here
