// The print view's one button: the browser's print dialog (inline scripts are not allowed).
"use strict";
document.getElementById("print").addEventListener("click", () => window.print());
