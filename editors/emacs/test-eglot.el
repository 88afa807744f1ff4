;;; test-eglot.el --- copydesk through Emacs eglot, in batch mode  -*- lexical-binding: t -*-
;;
;;   COPYDESK_BIN=target/release/copydesk timeout 120 emacs --batch -Q -l editors/emacs/test-eglot.el
;;
;; Uses the set-up of editors/README.md (markdown-mode + eglot-server-programs +
;; eglot-workspace-configuration), opens the fixtures of editors/testdata, and checks
;; diagnostics, an edit that moves them, hover and go to definition.
;; Exit status 0 when every check passed, 1 otherwise.
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa") ; Debian's elpa-* packages
(package-initialize)
(require 'eglot)
(require 'markdown-mode)
(require 'cl-lib)

(defvar t-editors (file-name-directory (directory-file-name (file-name-directory load-file-name))))
(defvar t-bin (let ((b (or (getenv "COPYDESK_BIN") "copydesk")))
                (if (string-match-p "/" b) (expand-file-name b) b)))
(defvar t-wait (/ (string-to-number (or (getenv "COPYDESK_TEST_WAIT_MS") "15000")) 1000.0))
(defvar t-failures 0)
(defvar t-checks 0)

(defun t-check (ok what)
  (cl-incf t-checks)
  (princ (format "%s %s\n" (if ok "ok  " "FAIL") what))
  (unless ok (cl-incf t-failures))
  ok)
(defun t-wait (pred)
  "Pump process output and timers until PRED is non-nil or `t-wait' seconds pass."
  (let ((deadline (+ (float-time) t-wait)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))
(defun t-code (diag)
  (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))) :code))
(defun t-lines (code)
  "Sorted 0-based lines of the current buffer's diagnostics with CODE."
  (sort (cl-loop for d in (flymake-diagnostics)
                 when (equal (t-code d) code)
                 collect (1- (line-number-at-pos (flymake-diagnostic-beg d))))
        #'<))
(defun t-goto (context word)
  "Put point on WORD inside the first occurrence of CONTEXT."
  (goto-char (point-min))
  (search-forward context)
  (goto-char (match-beginning 0))
  (search-forward word)
  (goto-char (match-beginning 0)))
(defun t-open (dir name)
  (let ((buf (find-file-noselect (expand-file-name name dir))))
    (with-current-buffer buf
      (t-check (eq major-mode 'markdown-mode) (format "%s: markdown-mode (%s)" name major-mode))
      (unless (eglot-current-server)
        (apply #'eglot (eglot--guess-contact)))       ; what eglot-ensure does after a command
      (flymake-start)                                  ; flymake waits for a display otherwise
      (t-check (eglot-current-server) (format "%s: eglot manages the buffer" name)))
    buf))

;; --- the set-up from editors/README.md, with the binary under test
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `((markdown-mode gfm-mode text-mode) . (,t-bin "lsp" "--stdio"))))
(setq-default eglot-workspace-configuration
              '(:copydesk (:inlayHints t)))

;; a server that cannot be spawned makes batch Emacs die of SIGPIPE: check first
(unless (executable-find t-bin)
  (princ (format "FAIL server not executable: %s\n" t-bin))
  (kill-emacs 1))

(let ((dir (file-name-as-directory (make-temp-file "copydesk-eglot" t))))
  (add-hook 'project-find-functions (lambda (_d) (cons 'transient dir))) ; no root prompt
  (with-temp-file (expand-file-name "copydesk.toml" dir))
  (dolist (f '("quotes.md" "xi-moscow.md"))
    (copy-file (expand-file-name (concat "testdata/" f) t-editors) (expand-file-name f dir)))
  (condition-case err
      (progn
        (princ (format "emacs %s, eglot %s, server %s\n" emacs-version
                       (let ((d (cadr (assq 'eglot package-alist))))
                         (if d (package-version-join (package-desc-version d)) "built-in"))
                       t-bin))
        ;; 1. diagnostics on a small manuscript, then an edit
        (with-current-buffer (t-open dir "quotes.md")
          (t-check (t-wait (lambda () (flymake-diagnostics))) "quotes.md: diagnostics arrived")
          (t-goto "“Nobody saw" "“")
          (let ((bare (1- (line-number-at-pos))))
            (t-check (t-wait (lambda () (equal (t-lines "unattributed-quote") (list bare))))
                     (format "unattributed-quote on line %d %S" bare (t-lines "unattributed-quote")))
            (t-check (string-prefix-p "copydesk" (flymake-diagnostic-text (car (flymake-diagnostics))))
                     (format "message names its source %S" (flymake-diagnostic-text (car (flymake-diagnostics)))))
            ;; attribute the bare quote, add a new one at the end
            (goto-char (line-end-position))
            (delete-region (line-beginning-position) (point))
            (insert "“Nobody saw it coming,” the mayor said.")
            (goto-char (point-max))
            (insert "\n“Another quote with no speaker.”\n")
            (let ((new (- (line-number-at-pos (point-max)) 2)))
              (eglot--signal-textDocument/didChange) ; its idle timer never fires in batch
              (t-check (t-wait (lambda () (equal (t-lines "unattributed-quote") (list new))))
                       (format "after the edit unattributed-quote on line %d %S" new (t-lines "unattributed-quote"))))))
        ;; 2. hover and definition on the example article
        (with-current-buffer (t-open dir "xi-moscow.md")
          (t-goto "Heusgen: “Russia is now" "Heusgen")
          (let* ((hover (condition-case e
                            (jsonrpc-request (eglot-current-server) :textDocument/hover
                                             (eglot--TextDocumentPositionParams))
                          (error (format "%S" e))))
                 (text (format "%S" hover)))
            (dolist (want '("Christoph Heusgen" "head of the Munich Security Conference" "3 quotes"))
              (t-check (string-match-p (regexp-quote want) text)
                       (format "hover on Heusgen shows %s (%s)" want (truncate-string-to-width text 200)))))
          (t-goto "Chinese President Xi Jinping" "Xi")
          (let ((first-line (line-number-at-pos)))
            (t-goto "Of course, Xi appreciates" "Xi")
            (let* ((defs (condition-case e
                             (let ((xref (xref-find-backend)))
                               (xref-backend-definitions xref (xref-backend-identifier-at-point xref)))
                           (error (princ (format "     definition error %S\n" e)) nil)))
                   (line (and defs (xref-location-line (xref-item-location (car defs))))))
              (t-check (eql line first-line)
                       (format "definition of Xi on line %d (got %S)" first-line line)))))
        (eglot-shutdown-all))
    (error (t-check nil (format "error: %S" err)))))
(princ (format "%d checks, %d failed\n" t-checks t-failures))
(kill-emacs (if (> t-failures 0) 1 0))
