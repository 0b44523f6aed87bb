// Group invitations: a "Copy" button next to the one-time invitation link. Without
// JavaScript the button stays hidden and the link can be selected by hand.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copiedLabel;
    } catch {
      field.select();
    }
  });
});
