const countEl = document.getElementById('count');
const button = document.getElementById('increment');

let count = 0;

button.addEventListener('click', () => {
  count += 1;
  countEl.textContent = String(count);
});
